/**
 * The main thread's side of the search thread (search-worker.ts): posts a search, resolves with
 * its messages. Started on the first search, so a server nobody searches never has one; started
 * again if it dies (the searches it held are failed, and their users are told).
 */
import { Worker } from 'node:worker_threads';
import type { ChatMessage } from '@tui-chat/protocol';
import type { SearchOptions } from '../types.js';
import { workerScript } from './worker-script.js';

export interface SearchRequest {
  id: number;
  user: string;
  terms: readonly string[];
  options: SearchOptions;
}

export type SearchReply = { id: number; messages: ChatMessage[] } | { id: number; error: { message: string; code?: string } };

export class SearchThread {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (m: ChatMessage[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly file: string) {}

  run(user: string, terms: readonly string[], options: SearchOptions): Promise<ChatMessage[]> {
    // A thread that has stopped may not have said so yet ('exit' comes later): what it held is lost.
    if (this.worker?.threadId === -1) {
      this.worker = null;
      this.failWaiting('the database search thread exited');
    }
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, user, terms, options } satisfies SearchRequest);
    });
  }

  private start(): Worker {
    const worker = new Worker(workerScript('search-worker.js', import.meta.url), { workerData: { file: this.file } });
    // Never what keeps a process alive.
    worker.unref();
    worker.on('message', (reply: SearchReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) w.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else w.resolve(reply.messages);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failWaiting(`the database search thread ${why}`);
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited (${code})`));
    this.worker = worker;
    return worker;
  }

  private failWaiting(why: string): void {
    for (const w of this.waiting.values()) w.reject(new Error(why));
    this.waiting.clear();
  }

  /** Stops the thread; searches still running are failed (the store is closing). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failWaiting('the store was closed');
    await worker?.terminate();
  }
}
