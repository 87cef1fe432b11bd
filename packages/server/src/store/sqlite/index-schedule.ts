/**
 * When the writer thread brings the search index up to date (see search-indexer.ts): messages
 * come first, the index in small chunks between them.
 * - Quiet: once no batch has come for `quietMs`, a chunk at a time until nothing is left, each
 *   chunk short enough that a batch arriving meanwhile hardly waits.
 * - Far behind: more than `maxUnindexed` waiting, the excess is indexed right after each batch,
 *   so under a load that never lets up the index keeps pace at a bounded distance.
 * - A search: indexes everything stored before it was asked, in chunks between batches, then
 *   answers. At the bound that is ~0.2 s of indexing on this project's machine, paid only by a
 *   search made in the middle of a flood; a quiet server has nothing left to index.
 */
import type { SearchIndexer } from './search-indexer.js';

export interface IndexScheduleOptions {
  chunk: number;
  quietMs: number;
  maxUnindexed: number;
}

/** A chunk of 500 is ~2 ms of the writer's time here; 50,000 behind is ~0.2 s for the search that finds them so. */
export const INDEX_SCHEDULE: IndexScheduleOptions = { chunk: 500, quietMs: 500, maxUnindexed: 50_000 };

export class IndexSchedule {
  private lastAppendAt = 0;
  /** After a failure (the disk, a lock held too long) quiet indexing waits as if a batch had come. */
  private lastFailureAt = 0;
  private readonly waiters: { target: number; done: (err?: Error) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly indexer: SearchIndexer,
    private readonly options: IndexScheduleOptions = INDEX_SCHEDULE,
  ) {}

  /** Messages stored and not yet indexed. */
  get unindexed(): number {
    return this.indexer.unindexed;
  }

  /** Called after a batch was committed and answered. */
  appended(now = Date.now()): void {
    this.lastAppendAt = now;
    this.indexer.noteAppended();
    const over = this.indexer.unindexed - this.options.maxUnindexed;
    if (over > 0) this.attempt(over);
    this.plan();
  }

  /** Calls `done` once every message stored so far is in the index (with an error if indexing failed). */
  catchUp(done: (err?: Error) => void): void {
    const target = this.indexer.lastStored;
    if (this.indexer.covers(target)) return done();
    this.waiters.push({ target, done });
    this.plan();
  }

  private plan(): void {
    if (this.immediate) return;
    if (this.indexer.unindexed === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    const wait = Math.max(this.lastAppendAt, this.lastFailureAt) + this.options.quietMs - Date.now();
    // A search tries at once even after a failure: a failure answers every search waiting, so this never spins.
    if (this.waiters.length > 0 || wait <= 0) {
      this.immediate = setImmediate(() => this.step());
    } else {
      // Unref'd: the writer thread lives as long as its port; this wait alone keeps nothing alive.
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.plan();
      }, wait).unref();
    }
  }

  private step(): void {
    this.immediate = null;
    this.attempt(this.options.chunk);
    this.plan();
  }

  /** Indexes up to `count`; settles the searches now covered, or fails them all if indexing failed. */
  private attempt(count: number): void {
    let failure: Error | undefined;
    try {
      this.indexer.index(count);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      this.lastFailureAt = Date.now();
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (!failure && !this.indexer.covers(w.target)) continue;
      this.waiters.splice(i, 1);
      w.done(failure);
    }
  }
}
