/**
 * Tab completion of the input line: command names after '/', then what each argument position
 * takes (user names, groups, '(broadcasts)', command names, keywords); in plain text, user names (groups after '#').
 * Returns full candidate lines (see ClientActions.complete in types.ts).
 */
import type { ArgKind, Command } from './commands/command.js';
import { BROADCASTS, type ClientState } from './types.js';

export function complete(line: string, state: ClientState, commands: readonly Command[]): string[] {
  const { head, word, kind } = completionTarget(line, commands);
  let candidates: string[];
  if (kind === 'command') {
    const partial = word.slice(1).toLowerCase();
    candidates = commandNames(commands)
      .filter((n) => n.startsWith(partial))
      .map((n) => `/${n}`);
  } else {
    candidates = kind ? fitting(kind, word, state, commands) : [];
  }
  return [...new Set(candidates)].sort().map((c) => `${head}${c} `);
}

/**
 * What the end of `line` completes: the word, what comes before it, and what the position takes
 * (a command name, an argument's kinds, or nothing: free text, or plain text with no word yet).
 */
export function completionTarget(
  line: string,
  commands: readonly Command[],
): { head: string; word: string; kind: ArgKind | 'command' | null } {
  const m = /^([\s\S]*?)(\S*)$/.exec(line)!;
  const head = m[1]!;
  const word = m[2]!;
  if (line.startsWith('/') && !line.startsWith('//')) {
    if (head.length === 0) return { head, word, kind: 'command' };
    const [first, ...before] = head.trim().split(/\s+/);
    const name = first!.slice(1).toLowerCase();
    const command = commands.find((c) => c.name === name || c.aliases.includes(name));
    return { head, word, kind: command?.argAt?.(before.length, before) ?? null };
  }
  if (word.length === 0) return { head, word, kind: null };
  return { head, word, kind: word.startsWith('#') ? { groups: true } : { users: true } };
}

function commandNames(commands: readonly Command[]): string[] {
  return commands.flatMap((c) => [c.name, ...c.aliases]).filter((n) => /^[a-z]/.test(n));
}

function fitting(kind: ArgKind, word: string, state: ClientState, commands: readonly Command[]): string[] {
  if (kind.prefix !== undefined) {
    const { prefix, ...rest } = kind;
    if (!word.toLowerCase().startsWith(prefix)) return [];
    return fitting(rest, word.slice(prefix.length), state, commands).map((o) => prefix + o);
  }
  const options: string[] = [];
  if (kind.users) options.push(...state.knownUsers);
  if (kind.groups) options.push(...state.conversations.flatMap((v) => (v.with.startsWith('#') ? [v.with] : [])));
  if (kind.broadcasts) options.push(BROADCASTS);
  if (kind.commands) options.push(...commandNames(commands));
  if (kind.words) options.push(...kind.words);
  const partial = word.toLowerCase();
  return options.filter((o) => o.startsWith(partial));
}
