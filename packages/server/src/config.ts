/**
 * The server's light pieces (defaults, URL checks, redaction) are in `@tui-chat/protocol/server-config`,
 * so the command line has them without the server installed; re-exported for the server's modules
 * and for `@tui-chat/server/config`.
 */
export * from '@tui-chat/protocol/server-config';
