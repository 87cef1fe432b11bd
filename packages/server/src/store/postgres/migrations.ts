/**
 * PostgreSQL schema migrations, applied in order. `tui_chat_schema` records each version applied;
 * they run in one transaction under an advisory lock, so nodes starting together apply them once.
 * Times are milliseconds since the epoch (BIGINT), as in the SQLite store.
 */
import { schemaMigrations } from '../migrations.js';

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
  ...schemaMigrations({
    int: 'BIGINT',
    id: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    // `user` is a reserved word in PostgreSQL.
    user: 'user_name',
    keyOnly: '',
    lastSeenIndex: '\n  CREATE INDEX users_last_seen ON users (last_seen_at);',
  }),
  // 5: search, a GIN index on each message's words (see search.ts for why this and not pg_trgm).
  searchMigration(),
];
