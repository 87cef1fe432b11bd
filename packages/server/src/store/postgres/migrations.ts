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
const ACCENTS = '[\u0300-\u036f]+';
/** Migration 5's reading: translate() costs ~3.7 µs a message here, the two normalize() calls ~3 µs more. */
const SPLIT_V5 = `pg_catalog.translate($1, '${JOINERS}', '${' '.repeat(JOINERS.length)}')`;
const UNACCENTED_V5 = `pg_catalog.normalize(pg_catalog.regexp_replace(pg_catalog.normalize(${SPLIT_V5}, 'NFD'), '${ACCENTS}', '', 'g'), 'NFC')`;
/**
 * Migration 7's: the same words from every text in a third of the time (12 -> 4 µs a message,
 * most of what PostgreSQL spent on a message beyond the insert itself). The joiners go in one
 * regular expression (a class, `-` first so it stands for itself), and the accents come off only
 * when the text has a character outside ASCII (an ASCII text has no marks, and NFD and NFC leave
 * it as it is). The results are equal, so the index made with migration 5's needs no rebuild.
 */
const SPLIT = `pg_catalog.regexp_replace($1, '[-${JOINERS.replace('-', '')}]', ' ', 'g')`;
const UNACCENTED = `CASE WHEN pg_catalog.octet_length($1) = pg_catalog.length($1) THEN ${SPLIT} ELSE pg_catalog.normalize(pg_catalog.regexp_replace(pg_catalog.normalize(${SPLIT}, 'NFD'), '${ACCENTS}', '', 'g'), 'NFC') END`;

/** The two reading functions: a term's text, and a message's words ('simple': see below). */
function readingFunctions(create: 'CREATE' | 'CREATE OR REPLACE', words: string): string {
  const fn = (name: string, returns: string, body: string) =>
    `${create} FUNCTION ${name}(text) RETURNS ${returns} LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT ${body} $f$;`;
  return `${fn('tui_chat_search_text', 'text', words)}
      ${fn('tui_chat_search_vector', 'tsvector', `pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, ${words})`)}`;
}

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
  return `
  DO $do$
  BEGIN
    IF current_setting('server_encoding') = 'UTF8' AND current_setting('server_version_num')::int >= 130000 THEN
      ${readingFunctions('CREATE', UNACCENTED_V5)}
    ELSE
      ${readingFunctions('CREATE', SPLIT_V5)}
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
  // 6: a write batch in one statement, so the group commit costs one round trip (and commits as it
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
  // 7: the reading functions in their faster form (see SPLIT above). Which one a database has was
  // chosen by migration 5, and stays: a server moved from PostgreSQL 12 to 13 since keeps reading
  // without normalize(), as its index was made. Sessions already open keep the index's expression
  // as they first read it (with the old body in place of the call) and would no longer match it to
  // a search's: touching the index's options (set, then reset: no change) makes each read it again.
  `
  DO $do$
  BEGIN
    IF (SELECT p.prosrc LIKE '%normalize%' FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure('tui_chat_search_vector(text)')) THEN
      ${readingFunctions('CREATE OR REPLACE', UNACCENTED)}
    ELSE
      ${readingFunctions('CREATE OR REPLACE', SPLIT)}
    END IF;
  END
  $do$;
  ALTER INDEX messages_search SET (fastupdate = on);
  ALTER INDEX messages_search RESET (fastupdate);
  `,
];
