/** The shape of a slash command module. */
import type { ClientContext } from '../context.js';

/** What /help and the UI's help screen show. */
export interface CommandInfo {
  /** Without the slash: 'msg'. */
  readonly name: string;
  /** Other names that run the same command, without the slash. */
  readonly aliases: readonly string[];
  /** '/msg <user> <text>' */
  readonly usage: string;
  /** One line: what it does. */
  readonly summary: string;
}

/** What a word position takes, for Tab completion: any mix of user names, groups (`#name`), '(broadcasts)', command names, fixed words. */
export interface ArgKind {
  users?: boolean;
  /** The groups this user is in (from the conversation list). */
  groups?: boolean;
  broadcasts?: boolean;
  commands?: boolean;
  words?: readonly string[];
  /** The word starts with this before the name it takes (`in:` of /search): only such a word completes. */
  prefix?: string;
}

export interface Registry {
  readonly all: readonly Command[];
  find(name: string): Command | undefined;
}

export interface Command extends CommandInfo {
  /** Also before login (default: only once logged in). */
  readonly beforeLogin?: boolean;
  /** What the command does to the screen itself when typed alone: open the help, or quit (after it runs). */
  readonly ui?: 'help' | 'quit';
  /** What the argument word at `index` (0-based) takes, given the words before it; undefined: free text. */
  argAt?(index: number, before: readonly string[]): ArgKind | undefined;
  /** Runs with everything after the command name (leading blanks removed). */
  run(ctx: ClientContext, args: string, registry: Registry): Promise<void>;
}
