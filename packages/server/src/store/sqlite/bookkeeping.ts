/**
 * The small writes of logins, logouts, the heartbeat and reading: sessions made, touched, deleted
 * and pruned, last-seen times, and read markers (one per message read in an open conversation). A file database runs them on the writer thread (append-worker.ts),
 * the one connection that writes messages: run on the event loop they waited there for the write
 * lock whenever the writer thread was committing a batch (SQLite's busy handler sleeps 1, 2, 5,
 * 10 ms... while it waits), which was most of what a login flood added to message latency.
 *
 * Sessions made and touched, last-seen times and read markers commit without waiting for the disk
 * (synchronous=NORMAL for that transaction): the next FULL commit of any connection syncs the WAL
 * and carries them, and a crash before that can only make a last-seen time older, a new token
 * unknown (its user logs in again) or messages already read count as unread again. What must not come back after a crash, a logout's deletion
 * and a prune, commits FULL.
 */
import type Database from 'better-sqlite3';
import type { SessionRecord } from '../types.js';

export type BookkeepingWrite =
  | { op: 'create'; session: SessionRecord }
  | { op: 'touch'; tokenHashes: string[]; at: number }
  | { op: 'lastSeen'; names: string[]; at: number }
  | { op: 'delete'; tokenHash: string }
  | { op: 'prune'; user: string; keep: number }
  /** Moves `user`'s marker in `conversation` forward to `seq` (at most its last); answers the marker after. */
  | { op: 'read'; user: string; conversation: string; seq: number };

export class Bookkeeping {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      insert: db.prepare('INSERT OR REPLACE INTO sessions (token_hash, user, created_at, last_used_at) VALUES (?, ?, ?, ?)'),
      touch: db.prepare('UPDATE sessions SET last_used_at = MAX(last_used_at, ?) WHERE token_hash = ?'),
      lastSeen: db.prepare('UPDATE users SET last_seen_at = ? WHERE name = ?'),
      delete: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      lastSeq: db.prepare<[string], number>('SELECT last_seq FROM conversations WHERE id = ?').pluck(),
      upsertMarker: db.prepare(
        `INSERT INTO read_markers (user, conversation, seq) VALUES (?, ?, ?)
         ON CONFLICT (user, conversation) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
      ),
      marker: db.prepare<[string, string], number>('SELECT seq FROM read_markers WHERE user = ? AND conversation = ?').pluck(),
      prune: db.prepare(
        `DELETE FROM sessions WHERE user = ? AND token_hash NOT IN
         (SELECT token_hash FROM sessions WHERE user = ? ORDER BY last_used_at DESC, created_at DESC LIMIT ?)`,
      ),
    };
  }

  /**
   * Runs writes that arrived together in one transaction (one commit, not one each: a login flood
   * sends hundreds a second), each answered as by `run` or with its own error: should the
   * shared transaction fail, each is tried again alone, so one bad write fails only itself.
   */
  runAll(writes: readonly BookkeepingWrite[]): (number | Error)[] {
    try {
      return this.transaction(writes.some(durable), () => writes.map((w) => this.apply(w)));
    } catch {
      return writes.map((w) => {
        try {
          return this.run(w);
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      });
    }
  }

  /** Runs one write in its own transaction; returns the rows it changed (a read: the marker after). */
  run(w: BookkeepingWrite): number {
    return this.transaction(durable(w), () => this.apply(w));
  }

  private apply(w: BookkeepingWrite): number {
    switch (w.op) {
      case 'create': {
        const s = w.session;
        return this.stmt.insert.run(s.tokenHash, s.user, s.createdAt, s.lastUsedAt).changes;
      }
      case 'touch':
        return w.tokenHashes.reduce((n, t) => n + this.stmt.touch.run(w.at, t).changes, 0);
      case 'lastSeen':
        return w.names.reduce((n, name) => n + this.stmt.lastSeen.run(w.at, name).changes, 0);
      case 'delete':
        return this.stmt.delete.run(w.tokenHash).changes;
      case 'prune':
        return this.stmt.prune.run(w.user, w.user, w.keep).changes;
      case 'read': {
        const last = this.stmt.lastSeq.get(w.conversation) ?? 0;
        this.stmt.upsertMarker.run(w.user, w.conversation, Math.min(w.seq, last));
        return this.stmt.marker.get(w.user, w.conversation) ?? 0;
      }
    }
  }

  /** FULL when `full`, else at synchronous=NORMAL (see the top of this file). */
  private transaction<T>(full: boolean, write: () => T): T {
    if (full) return this.db.transaction(write).immediate();
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db.transaction(write).immediate();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }
}

/** What must not come back after a crash: a logout's deletion, a prune. */
const durable = (w: BookkeepingWrite): boolean => w.op === 'delete' || w.op === 'prune';
