/**
 * The main thread's side of the checkpointer thread (checkpoint-worker.ts): started with the
 * writer thread, stopped before it. Its figures tell tests and logs that the WAL is being copied.
 */
import { Worker } from 'node:worker_threads';
import type { CheckpointerReply, CheckpointerRequest } from './checkpoint-worker.js';
import { workerScript } from './worker-script.js';

/** How often the WAL is copied back (a checkpoint with nothing new to copy costs next to nothing). */
export const CHECKPOINT_INTERVAL_MS = 500;

export class Checkpointer {
  private readonly worker: Worker;
  /** Checkpoints that copied something; the last one's figures (WAL frames copied of those in it); the last error. */
  readonly stats = { checkpoints: 0, last: null as { checkpointed: number; log: number } | null, lastError: null as string | null };
  private readonly listeners = new Set<(copied: { checkpointed: number; log: number }) => void>();

  constructor(file: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(workerScript('checkpoint-worker.js', import.meta.url), { workerData: { file, intervalMs } });
    // Never what keeps a process alive.
    this.worker.unref();
    this.worker.on('message', (reply: CheckpointerReply) => {
      if ('checkpointed' in reply) {
        this.stats.checkpoints += 1;
        this.stats.last = reply;
        for (const listener of this.listeners) listener(reply);
      } else if ('error' in reply) {
        this.stats.lastError = reply.error;
      }
    });
    // A checkpointer that failed to start or died leaves SQLite's own safety net (see append-worker.ts).
    this.worker.on('error', (err) => {
      this.stats.lastError = err.message;
    });
  }

  /** Calls `listener` after each checkpoint that copied frames (the WAL held `log` frames then). */
  onCheckpoint(listener: (copied: { checkpointed: number; log: number }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the thread after the checkpoint it may be running; its connection is closed. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    try {
      this.worker.postMessage({ stop: true } satisfies CheckpointerRequest);
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
