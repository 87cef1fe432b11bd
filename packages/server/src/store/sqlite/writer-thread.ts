/**
 * The main thread's side of the writer thread (append-worker.ts): posts a batch, resolves with
 * what the transaction decided. Started on the first write, so `tui-chat user ...` and read-only
 * uses never start one; restarted if it dies (its batches in flight are failed, so their senders
 * are told and resend).
 */
import { Worker } from 'node:worker_threads';
import type { NewMessage } from '../types.js';
import { packBatch, type Appended, type PackedBatch } from './appender.js';
import { Checkpointer } from './checkpointer.js';
import type { BookkeepingWrite } from './bookkeeping.js';
import { workerScript } from './worker-script.js';

/** A batch to store, a bookkeeping write (bookkeeping.ts), or a search asking for the index to hold everything stored so far. */
export type WriterRequest =
  { id: number; batch: PackedBatch } | { id: number; bookkeeping: BookkeepingWrite } | { id: number; catchUp: true };

export type WriterReply =
  | { id: number; results: Appended }
  | { id: number; changes: number }
  | { id: number; indexed: true }
  | { id: number; error: { message: string; code?: string } }
  /** Sent once, when the thread has opened the database. */
  | { ready: true };

export class WriterThread {
  private worker: Worker | null = null;
  private checkpointer: Checkpointer | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: Appended | number | null) => void; reject: (e: Error) => void }>();
  private readonly idle: (() => void)[] = [];
  private readyPromise: Promise<void> | null = null;

  constructor(private readonly file: string) {}

  append(batch: NewMessage[]): Promise<Appended> {
    return this.ask((id) => ({ id, batch: packBatch(batch) })) as Promise<Appended>;
  }

  /**
   * Resolves once the search index holds every message stored so far (the thread indexes behind
   * the messages: search-indexer.ts). Starts the thread if need be: what an earlier run left
   * unindexed is indexed by it.
   */
  async searchable(): Promise<void> {
    await this.ask((id) => ({ id, catchUp: true }));
  }

  /** A login's, a logout's or the heartbeat's write (bookkeeping.ts); resolves with the rows it changed. */
  bookkeeping(bookkeeping: BookkeepingWrite): Promise<number> {
    return this.ask((id) => ({ id, bookkeeping })) as Promise<number>;
  }

  private ask(request: (id: number) => WriterRequest): Promise<Appended | number | null> {
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(request(id));
    });
  }

  /** Starts the thread now and waits until it has opened the database (its start takes ~100 ms). */
  ready(): Promise<void> {
    if (!this.worker) this.start();
    return this.readyPromise!;
  }

  private start(): Worker {
    const worker = new Worker(workerScript('append-worker.js', import.meta.url), { workerData: { file: this.file } });
    // Started with the writer: only a server that writes messages needs one.
    this.checkpointer ??= new Checkpointer(this.file);
    // Never what keeps a process alive: close() waits for its answers.
    worker.unref();
    this.readyPromise = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the database writer thread exited (${code})`)));
    });
    this.readyPromise.catch(() => undefined);
    worker.on('message', (reply: WriterReply) => {
      if ('ready' in reply) return;
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) w.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else w.resolve('results' in reply ? reply.results : 'changes' in reply ? reply.changes : null);
      this.settled();
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const w of this.waiting.values()) w.reject(new Error(`the database writer thread ${why}`));
      this.waiting.clear();
      this.settled();
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited (${code})`));
    this.worker = worker;
    return worker;
  }

  /** The checkpointer thread (null before the writer starts). */
  get checkpoints(): Checkpointer | null {
    return this.checkpointer;
  }

  async close(): Promise<void> {
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    await checkpointer?.close();
    const worker = this.worker;
    if (!worker) return;
    // Answers still due arrive before the thread goes (or fail, should it die meanwhile).
    if (this.waiting.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.worker = null;
    await worker.terminate();
  }

  private settled(): void {
    if (this.waiting.size > 0) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
