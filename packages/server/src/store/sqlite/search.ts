/**
 * Store.search on SQLite: the FTS5 index of migration 5. FTS5 walks a term's matches by rowid
 * (the message id) from the newest down, so a page costs the matches it skips (other people's
 * conversations, ids not below `before`), not every match there is.
 */
import type Database from 'better-sqlite3';
import type { ChatMessage } from '@tui-chat/protocol';
import { rowsWithin, toMessage, type MessageRow } from '../rows.js';
import type { SearchOptions } from '../types.js';
import { storeTerms } from '../search-terms.js';

/**
 * The FTS5 query for `terms`: each a string in double quotes (storeTerms left no quote in it;
 * one would be doubled), so nothing in it is syntax (`OR`, `NEAR(`, `:`, `^` are words or separators there), followed by `*`, a
 * prefix of a word. Side by side, every one must match.
 */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"*`).join(' ');
}

interface Params {
  user: string;
  match: string;
  before: number;
  limit: number;
  conversation: string | null;
}

export class SqliteSearch {
  private readonly matches;

  constructor(db: Database.Database) {
    // The user's conversations are read once per query (a small list beside the matches).
    this.matches = db.prepare<Params, MessageRow>(
      `SELECT m.* FROM messages_search s JOIN messages m ON m.id = s.rowid
       WHERE messages_search MATCH @match AND s.rowid < @before
         AND (@conversation IS NULL OR m.conversation = @conversation)
         AND m.conversation IN (SELECT id FROM conversations WHERE user_a = @user OR user_b = @user
                                UNION ALL SELECT group_name FROM group_members WHERE user = @user)
       ORDER BY s.rowid DESC LIMIT @limit`,
    );
  }

  run(user: string, terms: readonly string[], options: SearchOptions): ChatMessage[] {
    const words = storeTerms(terms);
    if (words.length === 0 || options.limit <= 0) return [];
    const rows = this.matches.iterate({
      user,
      match: ftsQuery(words),
      before: options.before ?? Number.MAX_SAFE_INTEGER,
      limit: options.limit,
      conversation: options.conversation ?? null,
    });
    return rowsWithin(rows, options.maxTextBytes).map(toMessage);
  }
}
