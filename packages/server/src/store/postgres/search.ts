/**
 * Store.search on PostgreSQL: the GIN index of migration 5 on tui_chat_search_vector(body).
 *
 * Why a tsvector index and not pg_trgm: search looks for words by their start ("lunch" finds
 * "Lunchtime!"), which is what a tsvector prefix query (`'lunch':*`) answers from the index alone,
 * while trigrams find any substring ("unch" would find "lunch"), cannot use the index for a term
 * shorter than three characters, and need a recheck of every candidate's text. A tsvector index
 * is also several times smaller than a trigram one (a lexeme per word instead of a trigram per
 * character), so each message costs the insert less. Configuration 'simple': no stemming and no
 * stop words, since chat is in every language.
 */
import type pg from 'pg';
import type { ChatMessage } from '@tui-chat/protocol';
import { toMessage, type MessageRow } from '../rows.js';
import type { SearchOptions } from '../types.js';
import { storeTerms } from '../search-terms.js';

/**
 * The tsquery for terms $6, $7, ...: each read by tui_chat_search_text as the texts were, quoted
 * (storeTerms left no quote or backslash in it) and a prefix (`:*`), all of them ANDed. Immutable
 * functions of parameters: PostgreSQL folds it to a constant when it plans, and estimates with it.
 */
function tsquery(count: number, first: number): string {
  const parts = Array.from({ length: count }, (_, i) => `'''' || tui_chat_search_text($${first + i}) || ''':*'`);
  return `pg_catalog.to_tsquery('pg_catalog.simple'::regconfig, ${parts.join(` || ' & ' || `)})`;
}

export async function searchMessages(
  pool: pg.Pool,
  user: string,
  terms: readonly string[],
  options: SearchOptions,
): Promise<ChatMessage[]> {
  const words = storeTerms(terms);
  if (words.length === 0 || options.limit <= 0) return [];
  // The byte bound is kept in the database, as history does: a running sum of the texts, newest first.
  const { rows } = await pool.query<MessageRow>(
    `SELECT * FROM (
       SELECT m.*, SUM(octet_length(m.body)) OVER (ORDER BY m.id DESC) - octet_length(m.body) AS bytes_before
       FROM messages m
       WHERE tui_chat_search_vector(m.body) @@ ${tsquery(words.length, 6)}
         AND m.id < $2
         AND ($4::text IS NULL OR m.conversation = $4::text)
         AND m.conversation IN (SELECT id FROM conversations WHERE user_a = $1 OR user_b = $1
                                UNION ALL SELECT group_name FROM group_members WHERE user_name = $1)
       ORDER BY m.id DESC LIMIT $3) t
     WHERE $5::bigint IS NULL OR bytes_before < $5::bigint OR bytes_before = 0 ORDER BY id DESC`,
    [user, options.before ?? Number.MAX_SAFE_INTEGER, options.limit, options.conversation ?? null, options.maxTextBytes ?? null, ...words],
  );
  return rows.map(toMessage);
}
