/**
 * The writer thread: its own connection to the database file, running the group commit's
 * transactions so their fsync never blocks the server's event loop. One batch at a time, in the
 * order they arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Appender, unpackBatch } from './appender.js';
import type { WriterReply, WriterRequest } from './writer-thread.js';

const { file } = workerData as { file: string };
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
// The checkpointer thread copies the WAL back; this is only the safety net should it fall behind
// (a commit that finds the WAL over ~40 MB checkpoints itself, as SQLite does by default at 4 MB).
db.pragma('wal_autocheckpoint = 10000');
const appender = new Appender(db);
parentPort!.postMessage({ ready: true } satisfies WriterReply);

parentPort!.on('message', (req: WriterRequest) => {
  let reply: WriterReply;
  try {
    reply = { id: req.id, results: appender.append(unpackBatch(req.batch)) };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    reply = { id: req.id, error: { message: e.message ?? String(err), code: e.code } };
  }
  parentPort!.postMessage(reply, 'results' in reply ? [reply.results.ids.buffer as ArrayBuffer] : []);
});
