/** What the `user` commands share: the --db flag, name checks and opening the store. */
import type { Command } from 'commander';
import { nameProblem, normalizeName } from '@tui-chat/protocol';
import type { Store } from '@tui-chat/server';
import { CliError, lowerFirst } from '../../errors.js';
import { needsServer } from '../../server-package.js';
import { resolveDb, shownDb } from '../../options.js';

export interface DbFlags {
  db?: string;
  config?: string;
}

export type Runner = (work: () => Promise<number>) => Promise<void>;

export function dbOption(cmd: Command): Command {
  return cmd
    .option(
      '--db <path|url>',
      'SQLite database file, or postgres://user@host/database (env TUI_CHAT_DB, default $XDG_DATA_HOME/tui-chat/tui-chat.db)',
    )
    .option('--config <file>', "the server's config file: its db is used when neither --db nor TUI_CHAT_DB is given (env TUI_CHAT_CONFIG)");
}

/** The stored (lower-case) form of a valid name; a usage error otherwise. */
export function checkedName(raw: string): string {
  const problem = nameProblem(raw);
  if (problem) throw new CliError(`bad user name ${JSON.stringify(raw)}: ${lowerFirst(problem)}`);
  return normalizeName(raw);
}

/**
 * Runs `work` with the store open and always closes it. With `create: false` a missing database
 * is handed over as null, so read-only commands never create files.
 */
export async function withStore<T>(flags: DbFlags, create: boolean, work: (store: Store | null, file: string) => Promise<T>): Promise<T> {
  // Only a config file (named, or in TUI_CHAT_CONFIG, as in the Docker image) needs its reader.
  const db =
    flags.config !== undefined || process.env.TUI_CHAT_CONFIG
      ? (await import('../../serve-settings/resolve.js')).resolveServeSetting('db', flags.db, flags.config)
      : resolveDb(flags.db);
  // SQLite (the server package) loads only for the command that needs it.
  const { openAnyStore } = await needsServer('user', () => import('../../open-store.js'));
  const store = await openAnyStore(db, { create });
  try {
    return await work(store, shownDb(db));
  } finally {
    await store?.close();
  }
}
