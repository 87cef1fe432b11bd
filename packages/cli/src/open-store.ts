/** Opens the store for `serve` and the `user` commands, turning every failure into one line. */
import fs from 'node:fs';
import { PostgresStore, SqliteStore, StoreOpenError, type Store } from '@tui-chat/server';
import { CliError, errnoCode } from './errors.js';
import type { DbTarget } from './options.js';

export interface OpenOptions {
  /** false: a missing file is reported (as null) rather than created. */
  create: boolean;
}

export function openStore(file: string, { create }: OpenOptions): SqliteStore | null {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOTDIR') throw new CliError(`cannot use the database ${file}: a part of that path is a file, not a folder.`);
    if (code === 'EACCES') throw new CliError(`cannot use the database ${file}: permission denied.`);
    if (code !== 'ENOENT') throw new CliError(`cannot use the database ${file}: ${code ?? String(err)}.`);
  }
  if (stat?.isDirectory()) throw new CliError(`cannot use the database ${file}: it is a folder, not a file.`);
  if (!stat && !create) return null;
  try {
    return new SqliteStore(file);
  } catch (err) {
    if (err instanceof StoreOpenError) throw new CliError(`${err.message.replace(/\.$/, '')}.`);
    throw err;
  }
}

/**
 * Opens a SQLite file or a PostgreSQL database (connecting, then migrating). For PostgreSQL the
 * database itself must exist; `create` only matters for a file.
 */
export async function openAnyStore(
  db: DbTarget,
  options: OpenOptions & { onError?: (err: Error) => void; poolSize?: number },
): Promise<Store | null> {
  if (db.kind === 'sqlite') return openStore(db.path, options);
  try {
    return await PostgresStore.open(db.url, { onError: options.onError, poolSize: options.poolSize });
  } catch (err) {
    if (err instanceof StoreOpenError) throw new CliError(`${err.message.replace(/\.$/, '')}.`);
    throw err;
  }
}
