/** Schema migrations, applied in order; `PRAGMA user_version` records how many have run. */
export const migrations: string[] = [
  `
  CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user);
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    user_a TEXT NOT NULL,
    user_b TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_a ON conversations(user_a);
  CREATE INDEX conversations_b ON conversations(user_b);
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (conversation, seq),
    UNIQUE (sender, conversation, client_id)
  );
  CREATE INDEX messages_recipient ON messages(recipient, conversation, seq);
  CREATE TABLE read_markers (
    user TEXT NOT NULL,
    conversation TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (user, conversation)
  );
  CREATE TABLE blocks (
    user TEXT NOT NULL,
    blocked TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user, blocked)
  );
  CREATE INDEX blocks_blocked ON blocks(blocked);
  `,
  // 2: broadcasts to everyone, kept for the sender and for each user online to receive them.
  `
  CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    sender TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    UNIQUE (sender, client_id)
  );
  CREATE TABLE broadcast_recipients (
    user TEXT NOT NULL,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    PRIMARY KEY (user, broadcast_id)
  ) WITHOUT ROWID;
  `,
  // 3: what each name looks like (protocol's nameSkeleton), to refuse look-alike names; filled in by the store.
  `
  ALTER TABLE users ADD COLUMN skeleton TEXT;
  CREATE INDEX users_skeleton ON users(skeleton);
  `,
  // 4: group conversations. A group's conversation row has the group (`#name`) as both users, so
  // pair lookups never match it; its members are listed here.
  `
  CREATE TABLE groups (
    name TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE group_members (
    group_name TEXT NOT NULL REFERENCES groups(name),
    user TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_name, user)
  ) WITHOUT ROWID;
  CREATE INDEX group_members_user ON group_members(user);
  `,
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
];
