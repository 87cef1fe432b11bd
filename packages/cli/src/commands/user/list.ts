/** `tui-chat user list`: every account with when it was created and last seen. */
import type { Command } from 'commander';
import type { UserRecord } from '@tui-chat/server';
import { dbOption, withStore, type DbFlags, type Runner } from './common.js';

interface ListFlags extends DbFlags {
  json?: boolean;
}

export function registerUserList(user: Command, run: Runner): void {
  dbOption(user.command('list').alias('ls').description('list user accounts'))
    .option('--json', 'one JSON array instead of a table')
    .addHelpText(
      'after',
      `
Examples:
  tui-chat user list
  tui-chat user list --json --db ./chat.db`,
    )
    .action((flags: ListFlags) => run(() => listUsers(flags)));
}

/** Local time to the minute: enough to tell when, short enough for a table. */
function when(ms: number | null): string {
  if (ms === null) return 'never';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function table(users: UserRecord[]): string {
  const rows = [['NAME', 'CREATED', 'LAST SEEN'], ...users.map((u) => [u.name, when(u.createdAt), when(u.lastSeenAt)])];
  const width = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(width[i]!) : cell)).join('  ')).join('\n') + '\n';
}

async function listUsers(flags: ListFlags): Promise<number> {
  return withStore(flags, false, async (store) => {
    const users = store ? await store.listUsers() : [];
    if (flags.json) {
      const out = users.map((u) => ({
        name: u.name,
        createdAt: new Date(u.createdAt).toISOString(),
        lastSeenAt: u.lastSeenAt === null ? null : new Date(u.lastSeenAt).toISOString(),
      }));
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else if (users.length === 0) {
      process.stdout.write('no users\n');
    } else {
      process.stdout.write(table(users));
    }
    return 0;
  });
}
