/** Asks for a password on the terminal without echoing it (node:readline with its output muted). */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from './errors.js';

export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const out = process.stderr;
  let muted = false;
  // readline echoes each key (and redraws the line) through `output`; muting it hides the password.
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) out.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input, output: sink, terminal: true });
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.on('SIGINT', () => {
      rl.close();
    });
    rl.on('close', () => {
      if (!answered) {
        out.write('\n');
        reject(new CliError('cancelled; no password given.', 130));
      }
    });
    rl.question(question, (answer) => {
      answered = true;
      out.write('\n');
      rl.close();
      resolve(answer);
    });
    muted = true;
  });
}

/** The password from TUI_CHAT_PASSWORD, else asked twice on a TTY; without either, a clear error. */
export async function readNewPassword(user: string): Promise<string> {
  const fromEnv = process.env.TUI_CHAT_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new CliError('no password: set TUI_CHAT_PASSWORD or run this in a terminal to be asked for one.');
  }
  const first = await promptHidden(`Password for ${user}: `);
  const again = await promptHidden('Same password again: ');
  if (first !== again) throw new CliError('the two passwords differ; nothing was changed.');
  return first;
}
