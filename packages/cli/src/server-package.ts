/**
 * `@tui-chat/server` is an optional peer of `tui-chat`: someone who only chats installs the client
 * (nothing native to compile), and `serve` and `user` load the server when they run. Where it is
 * not installed they say so in one sentence with the command that gets it, not with a stack trace.
 */
import { CliError, errnoCode } from './errors.js';

const SERVER = '@tui-chat/server';
/** npm 11.19+ runs no dependency's install script unless allowed: this one builds SQLite where no prebuilt binary fits. */
const ALLOW = '--allow-scripts=better-sqlite3';

/** Node's "Cannot find package '@tui-chat/server'", not a missing package of the server's own. */
function isServerMissing(err: unknown): boolean {
  const code = errnoCode(err);
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && err instanceof Error && err.message.includes(`'${SERVER}'`);
}

/** The sentence for `tui-chat <command>` run without the server package installed. */
export function serverMissingMessage(command: string): string {
  return (
    `tui-chat ${command} needs the server package: ` +
    `npx ${ALLOW} -p tui-chat -p ${SERVER} tui-chat ${command} (or npm install -g ${ALLOW} tui-chat ${SERVER}).`
  );
}

/** Runs `load` (imports of the server or of modules that import it), turning an absent server into one line. */
export async function needsServer<T>(command: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isServerMissing(err)) throw new CliError(serverMissingMessage(command));
    throw err;
  }
}
