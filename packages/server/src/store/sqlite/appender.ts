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
 * What the transaction decided for one message. A new message is described by its id and seq
 * alone (the caller has the rest), so little crosses between threads.
 */
export type Appended = { id: number; seq: number; conversation: string } | { duplicate: MessageRow };

export class Appender {
  private readonly stmt;
  /** Each conversation's last seq, as committed (read from the file on first use). */
  private readonly lastSeq = new Map<string, number>();
  readonly append: (batch: NewMessage[]) => Appended[];

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
    const tx = db.transaction((items: NewMessage[]) => {
      const touched = new Map<string, number>();
      const out = items.map((m) => this.one(m, touched));
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

  private one(m: NewMessage, touched: Map<string, number>): Appended {
    const conversation = conversationOf(m.from, m.to);
    const last = touched.get(conversation) ?? this.lastSeq.get(conversation) ?? this.readLastSeq(conversation);
    const seq = last + 1;
    const info = this.stmt.insertMessage.run(conversation, seq, m.from, m.to, m.text, m.at, m.clientId, m.kind);
    if (info.changes === 0) return { duplicate: this.stmt.findByClientId.get(m.from, conversation, m.clientId)! };
    touched.set(conversation, seq);
    this.lastSeq.set(conversation, seq);
    return { id: Number(info.lastInsertRowid), seq, conversation };
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
