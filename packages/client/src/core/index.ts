/** The headless chat client: what the Ink UI and the CLI import. */
export { ChatClient } from './chat-client.js';
export { serverList, type ChatClientOptions } from './client-options.js';
export { initialState } from './initial-state.js';
export { COMMANDS, findCommand, helpFor, helpLines, type Command, type CommandInfo } from './commands/index.js';
export { OutboxFile, stateDir } from './outbox-file.js';
export { RECONNECT_BACKOFF, retryDelay, type Backoff } from './backoff.js';
export type { RetryInfo, ServerTarget } from './connection-handlers.js';
export * from './types.js';
export { currentPreview, mentions, mentionRanges, type Preview } from './arrivals.js';
