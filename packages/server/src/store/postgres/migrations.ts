/**
 * PostgreSQL schema migrations, applied in order. `tui_chat_schema` records each version applied;
 * they run in one transaction under an advisory lock, so nodes starting together apply them once.
 * Times are milliseconds since the epoch (BIGINT), as in the SQLite store.
 */
export const MIGRATION_LOCK_KEY = 0x7475_6963; // "tuic": the advisory lock every tui-chat node takes to migrate

export const migrations: string[] = [
  `
  CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT
  );
  CREATE INDEX users_last_seen ON users (last_seen_at);
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_name);
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    user_a TEXT NOT NULL,
    user_b TEXT NOT NULL,
    last_seq BIGINT NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_a ON conversations (user_a);
  CREATE INDEX conversations_b ON conversations (user_b);
  CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation TEXT NOT NULL,
    seq BIGINT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (conversation, seq),
    UNIQUE (sender, conversation, client_id)
  );
  CREATE INDEX messages_recipient ON messages (recipient, conversation, seq);
  CREATE TABLE read_markers (
    user_name TEXT NOT NULL,
    conversation TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (user_name, conversation)
  );
  CREATE TABLE blocks (
    user_name TEXT NOT NULL,
    blocked TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_name, blocked)
  );
  CREATE INDEX blocks_blocked ON blocks (blocked);
  `,
  // 2: broadcasts to everyone, kept for the sender and for each user online to receive them.
  `
  CREATE TABLE broadcasts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    UNIQUE (sender, client_id)
  );
  CREATE TABLE broadcast_recipients (
    user_name TEXT NOT NULL,
    broadcast_id BIGINT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    PRIMARY KEY (user_name, broadcast_id)
  );
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
    created_at BIGINT NOT NULL
  );
  CREATE TABLE group_members (
    group_name TEXT NOT NULL REFERENCES groups (name),
    user_name TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (group_name, user_name)
  );
  CREATE INDEX group_members_user ON group_members (user_name);
  `,
  // 5: a write batch in one statement, so the group commit costs one round trip (and commits as it
  // returns: a statement outside BEGIN is its own transaction). The conversations are made, then
  // locked in id order (two nodes never wait on each other in a circle); earlier copies of each
  // (sender, conversation, clientId) are looked up under that lock, so a resend racing its original
  // on another node sees it; the fresh messages take their seqs from last_seq and are inserted in
  // arrival order. One row per item, in order: its id and seq, whether it is a duplicate (of an
  // earlier batch, or of its first copy in this one: first_n), and an earlier copy's own fields.
  `
  CREATE FUNCTION tui_chat_append_messages(
    p_conversation TEXT[], p_user_a TEXT[], p_user_b TEXT[], p_sender TEXT[], p_recipient TEXT[],
    p_body TEXT[], p_created_at BIGINT[], p_client_id TEXT[], p_kind TEXT[])
  RETURNS TABLE (n INT, id BIGINT, seq BIGINT, duplicate BOOLEAN, first_n INT,
    e_recipient TEXT, e_body TEXT, e_created_at BIGINT, e_kind TEXT)
  LANGUAGE plpgsql AS $$
  #variable_conflict use_column
  BEGIN
    INSERT INTO conversations (id, user_a, user_b)
      SELECT DISTINCT ON (t.cid) t.cid, t.a, t.b FROM unnest(p_conversation, p_user_a, p_user_b) AS t(cid, a, b) ORDER BY t.cid
      ON CONFLICT (id) DO NOTHING;
    PERFORM 1 FROM conversations c WHERE c.id = ANY (p_conversation) ORDER BY c.id FOR UPDATE;
    RETURN QUERY
    WITH items AS (
      SELECT t.* FROM unnest(p_conversation, p_sender, p_recipient, p_body, p_created_at, p_client_id, p_kind)
        WITH ORDINALITY AS t(conversation, sender, recipient, body, created_at, client_id, kind, n)
    ),
    earlier AS (
      SELECT m.id, m.seq, m.sender, m.conversation, m.client_id, m.recipient, m.body, m.created_at, m.kind
      FROM messages m JOIN (SELECT DISTINCT i.sender, i.conversation, i.client_id FROM items i) k
        ON m.sender = k.sender AND m.conversation = k.conversation AND m.client_id = k.client_id
    ),
    fresh AS (
      SELECT DISTINCT ON (i.sender, i.conversation, i.client_id) i.* FROM items i
      WHERE NOT EXISTS (SELECT 1 FROM earlier e WHERE e.sender = i.sender AND e.conversation = i.conversation AND e.client_id = i.client_id)
      ORDER BY i.sender, i.conversation, i.client_id, i.n
    ),
    numbered AS (
      SELECT f.*, row_number() OVER (PARTITION BY f.conversation ORDER BY f.n) AS k,
        count(*) OVER (PARTITION BY f.conversation) AS cnt
      FROM fresh f
    ),
    bumped AS (
      UPDATE conversations c SET last_seq = c.last_seq + v.cnt
      FROM (SELECT DISTINCT nb.conversation, nb.cnt FROM numbered nb) v
      WHERE c.id = v.conversation
      RETURNING c.id AS conversation, c.last_seq - v.cnt AS base
    ),
    inserted AS (
      INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
      SELECT nb.conversation, b.base + nb.k, nb.sender, nb.recipient, nb.body, nb.created_at, nb.client_id, nb.kind
      FROM numbered nb JOIN bumped b ON b.conversation = nb.conversation
      ORDER BY nb.n
      RETURNING messages.id, messages.conversation, messages.seq, messages.sender, messages.client_id
    )
    SELECT i.n::INT, COALESCE(ins.id, e.id), COALESCE(ins.seq, e.seq), (e.id IS NOT NULL OR nb.n <> i.n), nb.n::INT,
      e.recipient, e.body, e.created_at, e.kind
    FROM items i
    LEFT JOIN earlier e ON e.sender = i.sender AND e.conversation = i.conversation AND e.client_id = i.client_id
    LEFT JOIN numbered nb ON nb.sender = i.sender AND nb.conversation = i.conversation AND nb.client_id = i.client_id
    LEFT JOIN inserted ins ON ins.sender = i.sender AND ins.conversation = i.conversation AND ins.client_id = i.client_id
    ORDER BY i.n;
  END
  $$;
  `,
];
