/**
 * Argon2id on threads of our own at the lowest CPU priority (nice 19), instead of libuv's
 * threadpool at the priority of everything else. A hash takes a core for tens of milliseconds;
 * at equal priority a flood of logins took that core from the event loop and the load's own
 * processes, and messages waited (login-flood p99 12.6 ms against 3.6 ms without the flood). At
 * nice 19 the kernel runs a hash on whatever CPU the messages leave, and a quiet server hashes
 * exactly as fast as before. On Linux a thread's nice is its own (os.setPriority(0, ..) in the
 * thread); elsewhere it may apply to the whole process, so only Linux lowers it.
 *
 * Workers start at the first hash (a server that never sees a login starts none), are replaced
 * when one dies (its jobs fail with an error, never hang), and keep the process alive only while
 * they owe an answer.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The nice the hashing threads ask for (19: run only on CPU nothing else wants). */
export const HASHING_NICE = 19;

export interface Argon2Options {
  algorithm: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  outputLen: number;
}

type Job = { op: 'hash'; password: string; options: Argon2Options } | { op: 'verify'; stored: string; password: string } | { op: 'nice' };
type Reply = { id: number; value?: string | boolean | number; error?: string };

// CommonJS run by each worker: the library is loaded by the path the server resolved, so the
// thread finds the same copy wherever the process was started from.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
if (workerData.nice !== null) {
  try { os.setPriority(workerData.nice); } catch {}
}
const argon2 = require(workerData.argon2);
parentPort.on('message', ({ id, job }) => {
  try {
    const value =
      job.op === 'hash' ? argon2.hashSync(job.password, job.options)
      : job.op === 'verify' ? argon2.verifySync(job.stored, job.password)
      : os.getPriority();
    parentPort.postMessage({ id, value });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Thread {
  worker: Worker;
  /** Jobs sent to this thread and not answered yet. */
  pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>;
}

export class HashPool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private readonly argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');
  /** Threads started, the first ones included (tests: a dead one was replaced). */
  started = 0;

  constructor(
    private readonly size: number,
    private readonly nice: number | null = process.platform === 'linux' ? HASHING_NICE : null,
  ) {}

  hash(password: string, options: Argon2Options): Promise<string> {
    return this.run({ op: 'hash', password, options }) as Promise<string>;
  }

  verify(stored: string, password: string): Promise<boolean> {
    return this.run({ op: 'verify', stored, password }) as Promise<boolean>;
  }

  /** The nice each thread runs at, as the thread itself reads it (tests). */
  niceness(): Promise<number[]> {
    this.fill();
    return Promise.all(this.threads.map((t) => this.send(t, { op: 'nice' }) as Promise<number>));
  }

  /** Kills one thread as a crash would (tests: its job fails, the next hash gets a new thread). */
  async killOneForTests(): Promise<void> {
    this.fill();
    await this.threads[0]!.worker.terminate();
  }

  /** Stops every thread (a server that closes; a later hash starts new ones). */
  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }

  private run(job: Job): Promise<unknown> {
    this.fill();
    // The least busy thread: with the slots in front (FairSlots) at most `size` hashes run, so one is idle.
    const thread = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return this.send(thread, job);
  }

  private send(thread: Thread, job: Job): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Held open while it owes an answer (a command line awaiting a hash would exit otherwise).
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, job });
    });
  }

  private fill(): void {
    while (this.threads.length < this.size) this.threads.push(this.spawn());
  }

  private spawn(): Thread {
    // No inherited Node flags: --input-type=module (node -e) would make the source an ES module.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { argon2: this.argon2Path, nice: this.nice } });
    worker.unref();
    this.started += 1;
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (reply: Reply) => {
      const job = thread.pending.get(reply.id);
      if (!job) return;
      thread.pending.delete(reply.id);
      if (thread.pending.size === 0) worker.unref();
      if (reply.error !== undefined) job.reject(new Error(reply.error));
      else job.resolve(reply.value);
    });
    const died = (why: string): void => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      for (const job of thread.pending.values()) job.reject(new Error(`a password hashing thread stopped (${why})`));
      thread.pending.clear();
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return thread;
  }
}
