/**
 * The search index kept a little behind the messages instead of inside their transaction. Adding
 * a message to FTS5 (splitting it into words, writing each word's entry) cost ~12 µs of the
 * ~45 µs of CPU a stored and delivered message took, all of it on the path every message waits
 * for, for an index that is read only when someone searches. So the writer thread commits the
 * messages alone and indexes them later (see IndexSchedule): when it has had no message for a
 * while, when the messages not yet indexed pass MAX_UNINDEXED, and at once before any search
 * (the search waits for it, so it always sees every message stored before it was asked).
 *
 * `search_progress.indexed_upto` (migration 6) is the last message id in the index; it is
 * written in the transaction that indexes, so a crash loses no place and repeats no work. Messages
 * are only ever appended (nothing deletes or rewrites one), so every id above it is unindexed.
 */
import type Database from 'better-sqlite3';

export class SearchIndexer {
  private readonly stmt;
  private readonly indexTx: Database.Transaction<(count: number) => number>;
  /** The last message id in the index, as committed. */
  private upto: number;
  /** The last message id in the table, as far as this connection knows. */
  private last: number;

  constructor(db: Database.Database) {
    this.stmt = {
      upto: db.prepare<[], number>('SELECT indexed_upto FROM search_progress').pluck(),
      last: db.prepare<[], number | null>('SELECT MAX(id) FROM messages').pluck(),
      chunkEnd: db
        .prepare<[number, number], number | null>('SELECT MAX(id) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)')
        .pluck(),
      index: db.prepare('INSERT INTO messages_search (rowid, body) SELECT id, body FROM messages WHERE id > ? AND id <= ?'),
      setUpto: db.prepare('UPDATE search_progress SET indexed_upto = ?'),
    };
    this.upto = this.stmt.upto.get()!;
    this.last = this.stmt.last.get() ?? 0;
    this.indexTx = db.transaction((count: number): number => {
      const from = this.stmt.upto.get()!;
      const end = this.stmt.chunkEnd.get(from, count);
      if (end === null || end === undefined) return from;
      this.stmt.index.run(from, end);
      this.stmt.setUpto.run(end);
      return end;
    });
  }

  /** Messages (by id) stored but not yet in the index. */
  get unindexed(): number {
    return Math.max(0, this.last - this.upto);
  }

  /** The last message id stored, for a search that must see everything up to here. */
  get lastStored(): number {
    return this.last;
  }

  /** True once every message up to `id` is in the index. */
  covers(id: number): boolean {
    return this.upto >= id;
  }

  /** Learns of messages committed since (the writer calls it after each batch). */
  noteAppended(): void {
    this.last = this.stmt.last.get() ?? 0;
  }

  /** Indexes the next `count` unindexed messages (at most) in one transaction. */
  index(count: number): void {
    if (count <= 0 || this.upto >= this.last) return;
    try {
      // IMMEDIATE, as the appender's: the server's own connection may write meanwhile.
      this.upto = this.indexTx.immediate(count);
    } catch (err) {
      this.upto = this.stmt.upto.get()!;
      throw err;
    }
  }

  /** Everything, in one go: for ':memory:' databases, which have no writer thread to do it later. */
  indexAll(): void {
    this.noteAppended();
    this.index(this.unindexed);
  }
}
