/**
 * The slash commands: one module each, this registry, and the parser that turns an input line
 * into a command run or a message.
 */
import type { ClientContext } from '../context.js';
import type { Command, Registry } from './command.js';
import { away } from './away.js';
import { back } from './back.js';
import { block } from './block.js';
import { blocks } from './blocks.js';
import { broadcast } from './broadcast.js';
import { group } from './group.js';
import { help } from './help.js';
import { history } from './history.js';
import { inbox } from './inbox.js';
import { invite, join, part } from './irc-groups.js';
import { logout } from './logout.js';
import { me } from './me.js';
import { msg } from './msg.js';
import { open } from './open.js';
import { people } from './people.js';
import { quit } from './quit.js';
import { search } from './search.js';
import { sendText } from './text.js';
import { set } from './set.js';
import { unblock } from './unblock.js';
import { whoelse } from './whoelse.js';
import { wholast } from './wholast.js';

export type { ArgKind, Command, CommandInfo, Registry } from './command.js';
export { helpFor, helpLines } from './help.js';

/** Every command, in the order /help lists them. */
export const COMMANDS: readonly Command[] = [
  msg,
  broadcast,
  open,
  group,
  join,
  part,
  invite,
  me,
  history,
  search,
  inbox,
  whoelse,
  wholast,
  people,
  away,
  back,
  block,
  unblock,
  blocks,
  set,
  logout,
  quit,
  help,
];

/** A command by name or alias (without the slash, any case). */
export function findCommand(name: string): Command | undefined {
  const n = name.toLowerCase();
  return COMMANDS.find((c) => c.name === n || c.aliases.includes(n));
}

export const registry: Registry = { all: COMMANDS, find: findCommand };

/** Splits '/name args' into the name (without the slash) and the arguments. */
export function parseCommand(line: string): { name: string; args: string } | null {
  const m = /^\/(\S+)([\s\S]*)$/.exec(line);
  if (!m) return null;
  return { name: m[1]!, args: m[2]!.replace(/^\s+/, '') };
}

/** What a line does to the screen itself: a command with a `ui` effect, typed alone. */
export function lineEffect(raw: string): 'help' | 'quit' | null {
  const parsed = parseCommand(raw.trim());
  if (!parsed || parsed.args !== '') return null;
  return findCommand(parsed.name)?.ui ?? null;
}

/** Whether a line may run before login (a command that says so). */
export function runsBeforeLogin(raw: string): boolean {
  const parsed = parseCommand(raw.trim());
  return parsed !== null && findCommand(parsed.name)?.beforeLogin === true;
}

/**
 * Runs one input line: '/cmd args' runs a command, '//text' sends '/text', anything else is a
 * message to the open conversation. Blank lines do nothing; trailing blanks are dropped.
 */
export async function runLine(ctx: ClientContext, raw: string): Promise<void> {
  const line = raw.replace(/\s+$/, '');
  if (line.trim().length === 0) return;
  if (line.startsWith('//')) return sendText(ctx, line.slice(1));
  if (!line.startsWith('/')) return sendText(ctx, line);
  const parsed = parseCommand(line);
  const command = parsed ? findCommand(parsed.name) : undefined;
  if (!parsed || !command) {
    const what = parsed ? `There is no command /${parsed.name.slice(0, 40)}` : 'A command needs a name after "/"';
    ctx.respond('usage', `${what}; /help lists them. (To send text starting with "/", type "//".)`);
    return;
  }
  await command.run(ctx, parsed.args, registry);
}
