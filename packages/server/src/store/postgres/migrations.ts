/**
 * PostgreSQL schema migrations, applied in order. `tui_chat_schema` records each version applied;
 * they run in one transaction under an advisory lock, so nodes starting together apply them once.
 * Times are milliseconds since the epoch (BIGINT), as in the SQLite store.
 */
import { schemaMigrations } from '../migrations.js';

export const MIGRATION_LOCK_KEY = 0x7475_6963; // "tuic": the advisory lock every tui-chat node takes to migrate

export const migrations: string[] = schemaMigrations({
  int: 'BIGINT',
  id: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  // `user` is a reserved word in PostgreSQL.
  user: 'user_name',
  keyOnly: '',
  lastSeenIndex: '\n  CREATE INDEX users_last_seen ON users (last_seen_at);',
});
