/**
 * @tui-chat/client: the headless chat client (core) and the full-screen Ink UI (runTui).
 * Ink is loaded only when runTui runs, so importing the core stays light.
 */
export * from './core/index.js';
export { runTui, type RunTuiOptions } from './ui/run-tui.js';
export { sanitize, sanitizeInline, sanitizeLines } from './ui/sanitize.js';
export * from './settings/index.js';
