/**
 * Tab completes every user of the server, not only the first page known from the login: the
 * names starting with the word being completed are asked of the server (users:list by prefix)
 * when this login may not hold them all, once per prefix. What is held is known without asking:
 * every name (the first page was the whole list), the names sorting before the first page's
 * last, and those under a prefix asked before whose answer was whole.
 */
import { normalizeName, USERS_PAGE_MAX } from '@tui-chat/protocol';
import type { Command } from './commands/command.js';
import { completionTarget } from './completion.js';
import type { ClientContext } from './context.js';
import { addKnownUsers } from './conversations.js';

export class NameCoverage {
  /** The last name of the first page, or null once the whole list is known. Before it loads: nothing is known. */
  private through: string | null | undefined = undefined;
  private readonly whole = new Set<string>();
  private readonly asking = new Map<string, Promise<boolean>>();

  /** The first page (users:list from the start): its last name, and whether the server has more. */
  firstPage(names: readonly string[], more: boolean): void {
    this.through = more ? (names.at(-1) ?? '') : null;
  }

  /** True when every name starting with `prefix` is held already. */
  covers(prefix: string): boolean {
    if (this.through === null) return true;
    // Every name below the first page's last one is held: all of prefix's names are, when that last name sorts after them all.
    if (this.through !== undefined && this.through > prefix && !this.through.startsWith(prefix)) return true;
    for (let n = prefix.length; n > 0; n--) if (this.whole.has(prefix.slice(0, n))) return true;
    return false;
  }

  /** The lookup for `prefix`: one at a time per prefix; whole answers are remembered. */
  ask(prefix: string, fetch: () => Promise<{ names: string[]; more: boolean } | null>): Promise<boolean> {
    const held = this.asking.get(prefix);
    if (held) return held;
    const asked = fetch()
      .then((reply) => {
        if (reply && !reply.more) this.whole.add(prefix);
        return reply;
      })
      .finally(() => this.asking.delete(prefix));
    const added = asked.then((reply) => reply !== null && reply.names.length > 0);
    this.asking.set(prefix, added);
    return added;
  }
}

/**
 * Asks the server for the user names starting with the word at the end of `line`, when that
 * position takes user names and they may not all be held; adds them to state.knownUsers.
 * Resolves true when the answer brought names not known before (completion has more to offer).
 */
export async function lookupNames(
  ctx: ClientContext,
  coverage: NameCoverage,
  line: string,
  commands: readonly Command[],
): Promise<boolean> {
  const { word, kind } = completionTarget(line, commands);
  if (kind === null || kind === 'command' || !kind.users || word.length === 0 || word.startsWith('#')) return false;
  const prefix = normalizeName(word);
  if (!/^[a-z0-9_.-]+$/.test(prefix) || coverage.covers(prefix) || !ctx.connected()) return false;
  const before = new Set(ctx.store.get().knownUsers);
  const answered = await coverage.ask(prefix, async () => {
    const reply = await ctx.request('users:list', { prefix, limit: USERS_PAGE_MAX }).catch(() => null);
    if (!reply?.ok) return null;
    const names = reply.users.map((u) => u.name);
    ctx.update((s) => addKnownUsers(s, names));
    return { names, more: reply.more };
  });
  if (!answered) return false;
  return ctx.store.get().knownUsers.some((n) => !before.has(n));
}
