/**
 * Group commit: messages are written in batches, and every sender is answered only once its
 * batch is on disk. One batch is in flight at a time; whatever arrives meanwhile waits and goes
 * in the next one, so batches grow when the disk is slow instead of queueing up one by one.
 * Batches are written in arrival order, so sequence numbers follow it. The next batch is handed
 * to the store as soon as one is written, before its senders are answered.
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
  private inFlight: Promise<void> | null = null;
  /** Figures for benchmarks and logs. */
  readonly stats = { batches: 0, messages: 0, largestBatch: 0 };

  constructor(private readonly store: Store) {}

  append(items: NewMessage[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.schedule();
    });
  }

  /** Everything that arrives in this turn of the event loop joins the batch. */
  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.writeQueued();
    });
  }

  private writeQueued(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = this.write(batch);
  }

  private async write(batch: Pending[]): Promise<void> {
    const all = batch.length === 1 ? batch[0]!.items : batch.flatMap((p) => p.items);
    let results: AppendResult[];
    try {
      results = await this.store.appendMessages(all);
    } catch (err) {
      this.next();
      for (const p of batch) p.reject(err);
      return;
    }
    // The next batch goes before this one is answered: the store writes it while the event loop
    // sends this batch's acks and deliveries (answering first left the writer idle meanwhile).
    this.next();
    this.stats.batches += 1;
    this.stats.messages += all.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, all.length);
    let offset = 0;
    for (const p of batch) {
      p.resolve(results.slice(offset, offset + p.items.length));
      offset += p.items.length;
    }
  }

  private next(): void {
    this.inFlight = null;
    this.writeQueued();
  }

  /** Waits for everything queued so far to be written. */
  async drain(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) {
      if (!this.inFlight) this.writeQueued();
      await this.inFlight;
    }
  }
}
