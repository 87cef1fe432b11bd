/**
 * Group commit: messages that arrive in the same turn of the event loop are written in one
 * transaction, and every sender is answered only once that transaction is on disk.
 */
import type { AppendResult, NewMessage, Store } from './store/types.js';

interface Pending {
  items: NewMessage[];
  resolve: (results: AppendResult[]) => void;
  reject: (err: unknown) => void;
}

export class MessageWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  /** Figures for benchmarks and logs. */
  readonly stats = { batches: 0, messages: 0, largestBatch: 0 };

  constructor(private readonly store: Store) {}

  append(items: NewMessage[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushQueued());
      }
    });
  }

  private flushQueued(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    // Batches are written one after another so sequence numbers follow arrival order.
    this.writing = this.writing.then(async () => {
      const all = batch.flatMap((p) => p.items);
      try {
        const results = await this.store.appendMessages(all);
        this.stats.batches += 1;
        this.stats.messages += all.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, all.length);
        let offset = 0;
        for (const p of batch) {
          p.resolve(results.slice(offset, offset + p.items.length));
          offset += p.items.length;
        }
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    });
  }

  /** Waits for everything queued so far to be written. */
  async drain(): Promise<void> {
    if (this.scheduled) this.flushQueued();
    await this.writing;
  }
}
