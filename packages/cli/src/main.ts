/** The `tui-chat` command line: parses argv, runs one command, turns every failure into one line. */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerConnect } from './commands/connect.js';
import { registerServe } from './commands/serve.js';
import { registerUser } from './commands/user/index.js';
import type { Runner } from './commands/user/common.js';
import { CliError, lowerFirst } from './errors.js';

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** `Error: Something` reads as `tui-chat: something`; lines that already name the program stay as they are. */
function line(message: string): string {
  const text = message.trim().replace(/^error: /, '');
  if (text.startsWith('tui-chat ')) return `${text}\n`;
  return `tui-chat: ${lowerFirst(text)}\n`;
}

/** Every command reports usage errors as one line pointing at its own --help. */
function oneLineErrors(cmd: Command, path: string): void {
  cmd.configureOutput({
    outputError: (str, write) => write(line(`${str.trim().replace(/\.$/, '')} (see "${path} --help").`)),
  });
  for (const sub of cmd.commands) oneLineErrors(sub, `${path} ${sub.name()}`);
}

export function buildProgram(run: Runner): Command {
  const program = new Command('tui-chat')
    .description('Chat in the terminal: run a server, connect to it with a full-screen client.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  tui-chat serve --port 4000                  run a server (database in ~/.local/share/tui-chat)
  tui-chat user add alice                     add an account (asks for the password)
  tui-chat connect localhost:4000 --user alice
  tui-chat serve --help                       every flag of one command

Exit codes: 0 ok, 1 the operation failed, 2 bad usage, arguments or environment.`,
    );
  registerServe(program, run);
  registerConnect(program, run);
  registerUser(program, run);
  oneLineErrors(program, 'tui-chat');
  return program;
}

/**
 * A reader that stops early (`tui-chat serve --help | head`) closes the pipe: what is left to
 * write has nowhere to go, which is no error of ours. Quietly done, as `cat` would be. A terminal
 * that hung up fails writes with EIO: nothing to say there either; the client ends itself with 129
 * (run-tui.ts), anything else on SIGHUP (or keeps running under nohup, as a server should).
 */
function quietWhenOutputGone(stream: NodeJS.WriteStream, exitOnPipe: boolean): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EIO' || (err.code === 'EPIPE' && !exitOnPipe)) return;
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Runs the CLI on a full `process.argv`; resolves with the exit code and never throws. */
export async function main(argv: string[]): Promise<number> {
  quietWhenOutputGone(process.stdout, true);
  quietWhenOutputGone(process.stderr, false);
  let code = 0;
  const run: Runner = async (work) => {
    code = await work();
  };
  try {
    await buildProgram(run).parseAsync(argv, { from: 'node' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(line(err.message));
      return err.exitCode;
    }
    // A bug, not a usage error: still one line, with the stack only on request.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(line(`unexpected error: ${message} (set TUI_CHAT_DEBUG=1 for details)`));
    if (process.env.TUI_CHAT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
