/**
 * PostgreSQL schema migrations, applied in order. `tui_chat_schema` records each version applied;
 * they run in one transaction under an advisory lock, so nodes starting together apply them once.
 * Times are milliseconds since the epoch (BIGINT), as in the SQLite store.
 */
export const MIGRATION_LOCK_KEY = 0x7475_6963; // "tuic": the advisory lock every tui-chat node takes to migrate

/**
 * Where the words of a text are read from, for the messages and the search terms alike: the
 * punctuation that makes PostgreSQL's parser take "lunch@example.com", "example.com/menu", "3.14"
 * or "well-known" as one token made a space, so words split where searchTerms splits them; then
 * without accents ("cafe" finds "café": NFD, combining marks dropped, NFC again) with built-in
 * functions rather than the unaccent extension, which a server may lack or not let us create.
 * normalize() needs PostgreSQL 13 and a UTF-8 database; elsewhere accents count. (The marks'
 * range goes into the SQL as the characters themselves, so no setting changes how it is read.)
 */
const JOINERS = '@./:-<>&~=?%+';
const SPLIT = `pg_catalog.translate($1, '${JOINERS}', '${' '.repeat(JOINERS.length)}')`;
const UNACCENTED = `pg_catalog.normalize(pg_catalog.regexp_replace(pg_catalog.normalize(${SPLIT}, 'NFD'), '[\u0300-\u036f]+', '', 'g'), 'NFC')`;

/**
 * tui_chat_search_vector(body): the words of a message ('simple': lower case, no stemming, no stop
 * words, since chat is in every language), indexed by expression, so the insert updates the index
 * in its own statement. tui_chat_search_text(term): a search term read the same way. ANALYZE at
 * once: the planner needs the index's word statistics to choose between it and walking the
 * user's newest messages (a common word), and autovacuum would not gather them until a tenth of
 * the table had changed. Each function stands alone and names only pg_catalog, so it works under
 * any search_path (maintenance such as ANALYZE runs with pg_catalog only).
 */
function searchMigration(): string {
  const fn = (name: string, returns: string, body: string) =>
    `CREATE FUNCTION ${name}(text) RETURNS ${returns} LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT ${body} $f$;`;
  const vector = (text: string) => `pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, ${text})`;
  return `
  DO $do$
  BEGIN
    IF current_setting('server_encoding') = 'UTF8' AND current_setting('server_version_num')::int >= 130000 THEN
      ${fn('tui_chat_search_text', 'text', UNACCENTED)}
      ${fn('tui_chat_search_vector', 'tsvector', vector(UNACCENTED))}
    ELSE
      ${fn('tui_chat_search_text', 'text', SPLIT)}
      ${fn('tui_chat_search_vector', 'tsvector', vector(SPLIT))}
    END IF;
  END
  $do$;
  CREATE INDEX messages_search ON messages USING gin (tui_chat_search_vector(body));
  ANALYZE messages;
  `;
}

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
  // 5: search, a GIN index on each message's words (see search.ts for why this and not pg_trgm).
  searchMigration(),
];
