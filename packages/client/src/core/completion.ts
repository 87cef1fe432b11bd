/**
 * Tab completion of the input line: command names after '/', then what each argument position
 * takes (user names, groups, '(broadcasts)', command names, keywords); in plain text, user names (groups after '#').
 * Returns full candidate lines (see ClientActions.complete in types.ts).
 */
import type { ArgKind, Command } from './commands/command.js';
import { BROADCASTS, type ClientState } from './types.js';

export function complete(line: string, state: ClientState, commands: readonly Command[]): string[] {
  const m = /^([\s\S]*?)(\S*)$/.exec(line)!;
  const head = m[1]!;
  const word = m[2]!;
  let candidates: string[];
  if (line.startsWith('/') && !line.startsWith('//')) {
    if (head.length === 0) {
      const partial = word.slice(1).toLowerCase();
      candidates = commandNames(commands)
        .filter((n) => n.startsWith(partial))
        .map((n) => `/${n}`);
    } else {
      const [first, ...before] = head.trim().split(/\s+/);
      const name = first!.slice(1).toLowerCase();
      const command = commands.find((c) => c.name === name || c.aliases.includes(name));
      const kind = command?.argAt?.(before.length, before);
      candidates = kind ? fitting(kind, word, state, commands) : [];
    }
  } else {
    candidates = word.length > 0 ? fitting(word.startsWith('#') ? { groups: true } : { users: true }, word, state, commands) : [];
  }
  return [...new Set(candidates)].sort().map((c) => `${head}${c} `);
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
