/**
 * The group commit's transaction on SQLite: a batch of messages in one transaction, each checked
 * for a resend (same sender, conversation and clientId) and given the next seq of its conversation.
 * Used on the writer thread (append-worker.ts) and, for ':memory:' databases, inline.
 *
 * One statement per message: the writer is the only one that adds messages to a database file
 * (one server per file), so it keeps each conversation's last seq in memory, inserts with
 * `ON CONFLICT (sender, conversation, client_id) DO NOTHING` (a resend inserts nothing and is
 * then looked up), and writes each conversation's last_seq once per batch. Should anything fail,
 * the transaction rolls back and the memory is dropped, to be read again from the file.
 */
import type Database from 'better-sqlite3';
import { conversationOf } from '@tui-chat/protocol';
import type { NewMessage } from '../types.js';
import type { MessageRow } from '../rows.js';

/**
 * What the transaction decided for a batch, in a form that crosses between threads cheaply (no
 * object per message to clone on one side and build again on the other, on every message): for
 * message i, `ids[2i]` and `ids[2i+1]` are its id and seq (the caller has the rest), or -1 and the
 * index in `duplicates` of the original it resends. The buffer is transferred, not copied.
 */
export interface Appended {
  ids: Float64Array;
  duplicates: MessageRow[];
}

/** A batch as it crosses to the writer thread: six fields a message, in NewMessage's order (one array, no object per message). */
export type PackedBatch = (string | number)[];

export function packBatch(batch: NewMessage[]): PackedBatch {
  const out: PackedBatch = new Array(batch.length * 6);
  let o = 0;
  for (const m of batch) {
    out[o++] = m.from;
    out[o++] = m.to;
    out[o++] = m.text;
    out[o++] = m.at;
    out[o++] = m.clientId;
    out[o++] = m.kind;
  }
  return out;
}

export function unpackBatch(packed: PackedBatch): NewMessage[] {
  const out: NewMessage[] = [];
  for (let o = 0; o < packed.length; o += 6) {
    out.push({
      from: packed[o] as string,
      to: packed[o + 1] as string,
      text: packed[o + 2] as string,
      at: packed[o + 3] as number,
      clientId: packed[o + 4] as string,
      kind: packed[o + 5] as NewMessage['kind'],
    });
  }
  return out;
}

export class Appender {
  private readonly stmt;
  /** Each conversation's last seq, as committed (read from the file on first use). */
  private readonly lastSeq = new Map<string, number>();
  readonly append: (batch: NewMessage[]) => Appended;

  constructor(db: Database.Database) {
    this.stmt = {
      findByClientId: db.prepare<[string, string, string], MessageRow>(
        'SELECT * FROM messages WHERE sender = ? AND conversation = ? AND client_id = ?',
      ),
      lastSeq: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM conversations WHERE id = ?'),
      newConversation: db.prepare('INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES (?, ?, ?, 0)'),
      setSeq: db.prepare('UPDATE conversations SET last_seq = ? WHERE id = ?'),
      insertMessage: db.prepare(
        `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sender, conversation, client_id) DO NOTHING`,
      ),
    };
    const tx = db.transaction((items: NewMessage[]): Appended => {
      const touched = new Map<string, number>();
      const out: Appended = { ids: new Float64Array(items.length * 2), duplicates: [] };
      items.forEach((m, i) => this.one(m, touched, out, i));
      for (const [conversation, seq] of touched) this.stmt.setSeq.run(seq, conversation);
      return out;
    });
    this.append = (batch) => {
      try {
        // IMMEDIATE: take the write lock first (waiting for it under busy_timeout). A deferred
        // transaction that reads first fails at once with SQLITE_BUSY when the server's main
        // connection writes (a session, a read marker) between that read and our first write.
        return tx.immediate(batch);
      } catch (err) {
        this.lastSeq.clear();
        throw err;
      }
    };
  }

  private one(m: NewMessage, touched: Map<string, number>, out: Appended, i: number): void {
    const conversation = conversationOf(m.from, m.to);
    const last = touched.get(conversation) ?? this.lastSeq.get(conversation) ?? this.readLastSeq(conversation);
    const seq = last + 1;
    const info = this.stmt.insertMessage.run(conversation, seq, m.from, m.to, m.text, m.at, m.clientId, m.kind);
    if (info.changes === 0) {
      out.ids[2 * i] = -1;
      out.ids[2 * i + 1] = out.duplicates.push(this.stmt.findByClientId.get(m.from, conversation, m.clientId)!) - 1;
      return;
    }
    touched.set(conversation, seq);
    this.lastSeq.set(conversation, seq);
    out.ids[2 * i] = Number(info.lastInsertRowid);
    out.ids[2 * i + 1] = seq;
  }

  /** The committed last seq, creating the conversation's row the first time. */
  private readLastSeq(conversation: string): number {
    const row = this.stmt.lastSeq.get(conversation);
    if (row) return row.last_seq;
    // A group's row is made with the group; a pair's on its first message.
    const [a, b = a] = conversation.split(':');
    this.stmt.newConversation.run(conversation, a, b);
    return 0;
  }
}
