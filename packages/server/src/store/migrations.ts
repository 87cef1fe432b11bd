/**
 * The schema's migrations, written once for both stores: SQLite and PostgreSQL differ only in the
 * words a Dialect gives (the integer type, the identity column, the name of a user column, which
 * is a reserved word in PostgreSQL, and SQLite's WITHOUT ROWID). A new migration goes at the end
 * here and reaches both stores; each store records how many it has applied (sqlite/migrations.ts,
 * postgres/migrations.ts), so the texts of the applied ones must not change. From 5 on (search) the
 * dialects write their indexes too differently to share a text: each store's file adds its own after
 * these, and a later migration both can share goes after those, in both files.
 */
export interface Dialect {
  /** Integers: seqs, ids and times (milliseconds since the epoch). */
  int: string;
  /** An id column the database numbers itself. */
  id: string;
  /** The column holding a user's name in sessions, read markers, blocks and memberships. */
  user: string;
  /** After a table whose rows are only its primary key (SQLite stores it without a rowid). */
  keyOnly: string;
  /** Migration 1's index on users' last activity: PostgreSQL's first schema had it, SQLite's did not. */
  lastSeenIndex: string;
}

export function schemaMigrations(d: Dialect): string[] {
  const { int, user } = d;
  return [
    `
  CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at ${int} NOT NULL,
    last_seen_at ${int}
  );${d.lastSeenIndex}
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    ${user} TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at ${int} NOT NULL,
    last_used_at ${int} NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (${user});
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    user_a TEXT NOT NULL,
    user_b TEXT NOT NULL,
    last_seq ${int} NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_a ON conversations (user_a);
  CREATE INDEX conversations_b ON conversations (user_b);
  CREATE TABLE messages (
    id ${d.id},
    conversation TEXT NOT NULL,
    seq ${int} NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at ${int} NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (conversation, seq),
    UNIQUE (sender, conversation, client_id)
  );
  CREATE INDEX messages_recipient ON messages (recipient, conversation, seq);
  CREATE TABLE read_markers (
    ${user} TEXT NOT NULL,
    conversation TEXT NOT NULL,
    seq ${int} NOT NULL,
    PRIMARY KEY (${user}, conversation)
  );
  CREATE TABLE blocks (
    ${user} TEXT NOT NULL,
    blocked TEXT NOT NULL,
    created_at ${int} NOT NULL,
    PRIMARY KEY (${user}, blocked)
  );
  CREATE INDEX blocks_blocked ON blocks (blocked);
  `,
    // 2: broadcasts to everyone, kept for the sender and for each user online to receive them.
    `
  CREATE TABLE broadcasts (
    id ${d.id},
    sender TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at ${int} NOT NULL,
    client_id TEXT NOT NULL,
    UNIQUE (sender, client_id)
  );
  CREATE TABLE broadcast_recipients (
    ${user} TEXT NOT NULL,
    broadcast_id ${int} NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    PRIMARY KEY (${user}, broadcast_id)
  )${d.keyOnly};
  `,
    // 3: what each name looks like (protocol's nameSkeleton), to refuse look-alike names; filled in by the store.
    `
  ALTER TABLE users ADD COLUMN skeleton TEXT;
  CREATE INDEX users_skeleton ON users (skeleton);
  `,
    // 4: group conversations. A group's conversation row has the group (`#name`) as both users, so
    // pair lookups never match it; its members are listed here.
    `
  CREATE TABLE groups (
    name TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at ${int} NOT NULL
  );
  CREATE TABLE group_members (
    group_name TEXT NOT NULL REFERENCES groups (name),
    ${user} TEXT NOT NULL,
    joined_at ${int} NOT NULL,
    PRIMARY KEY (group_name, ${user})
  )${d.keyOnly};
  CREATE INDEX group_members_user ON group_members (${user});
  `,
  ];
}
