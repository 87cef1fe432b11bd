/** Schema migrations, applied in order; `PRAGMA user_version` records how many have run. */
import { schemaMigrations } from '../migrations.js';

export const migrations: string[] = [
  ...schemaMigrations({
    int: 'INTEGER',
    id: 'INTEGER PRIMARY KEY',
    user: 'user',
    keyOnly: ' WITHOUT ROWID',
    lastSeenIndex: '',
  }),
  // 5: search. An FTS5 index over the message texts, with the texts themselves left in `messages`
  // (external content): words are letters, digits and marks (unicode61), compared without case
  // and without accents (remove_diacritics 2: "cafe" finds "café"). No per-row sizes (columnsize=0):
  // they serve ranking, which search does not do (it gives the newest first), and would cost every
  // insert a second write. Triggers keep it right in the transaction that changes a message,
  // whichever connection runs it (the writer thread's inserts); the rebuild makes an existing
  // database's messages searchable.
  `
  CREATE VIRTUAL TABLE messages_search USING fts5(
    body, content = 'messages', content_rowid = 'id', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, body) VALUES (new.id, new.body);
  END;
  CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', old.id, old.body);
  END;
  CREATE TRIGGER messages_search_update AFTER UPDATE OF id, body ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_search (rowid, body) VALUES (new.id, new.body);
  END;
  INSERT INTO messages_search (messages_search) VALUES ('rebuild');
  `,
  // 6: the index trails the messages (search-indexer.ts): the writer thread adds them after their
  // commit, and `indexed_upto` is where it has got to. No insert trigger any more; a message
  // removed or changed is taken out of the index only if it is in it (FTS5's 'delete' of a row it
  // never had would spoil the index).
  `
  CREATE TABLE search_progress (indexed_upto INTEGER NOT NULL);
  INSERT INTO search_progress (indexed_upto) SELECT COALESCE(MAX(id), 0) FROM messages;
  DROP TRIGGER messages_search_insert;
  DROP TRIGGER messages_search_delete;
  DROP TRIGGER messages_search_update;
  CREATE TRIGGER messages_search_delete AFTER DELETE ON messages
  WHEN old.id <= (SELECT indexed_upto FROM search_progress) BEGIN
    INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', old.id, old.body);
  END;
  CREATE TRIGGER messages_search_update AFTER UPDATE OF id, body ON messages
  WHEN old.id <= (SELECT indexed_upto FROM search_progress) BEGIN
    INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_search (rowid, body) SELECT new.id, new.body WHERE new.id <= (SELECT indexed_upto FROM search_progress);
  END;
  `,
];
