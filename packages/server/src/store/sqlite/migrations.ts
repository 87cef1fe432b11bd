/** Schema migrations, applied in order; `PRAGMA user_version` records how many have run. */
import { schemaMigrations } from '../migrations.js';

export const migrations: string[] = schemaMigrations({
  int: 'INTEGER',
  id: 'INTEGER PRIMARY KEY',
  user: 'user',
  keyOnly: ' WITHOUT ROWID',
  lastSeenIndex: '',
});
