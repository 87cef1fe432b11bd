/**
 * What `tui-chat connect` needs, as one entry point: the build bundles it with Ink, React and
 * socket.io-client into dist/bundle/ (scripts/bundle.mjs), which the package exports as
 * `@tui-chat/client/tui`. A handful of files load in a fraction of the time the few hundred
 * modules behind them take one by one (see the `start` benchmark).
 */
export { runTui, type RunTuiOptions } from './ui/run-tui.js';
export { stateDir } from './core/outbox-file.js';
