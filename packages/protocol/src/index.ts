// The light part of the contract, for the client and the command line: no zod here. The payload
// schemas the server checks requests with are `@tui-chat/protocol/schemas`.
export * from './limits.js';
export * from './errors.js';
export * from './messages.js';
export * from './groups.js';
export * from './search.js';
export type { RequestEvent, RequestPayload, ParsedPayload, HandshakeAuth } from './schemas.js';
export * from './events.js';
