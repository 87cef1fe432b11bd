/**
 * The group commit's transaction on SQLite: a batch of messages in one transaction, each checked
 * for a resend (same sender, conversation and clientId) and given the next seq of its conversation.
 * Used on the writer thread (append-worker.ts) and, for ':memory:' databases, inline.
 */
import type Database from 'better-sqlite3';
import { conversationId } from '@tui-chat/protocol';
import type { NewMessage } from '../types.js';
import type { MessageRow } from '../rows.js';

/**
 * What the transaction decided for one message. A new message is described by its id and seq
 * alone (the caller has the rest), so little crosses between threads.
 */
export type Appended =
  | { id: number; seq: number; conversation: string }
  | { duplicate: MessageRow };

export class Appender {
  private readonly stmt;
  /** Conversations known to have their row: skips an INSERT OR IGNORE per message. */
  private readonly known = new Set<string>();
  readonly append: (batch: NewMessage[]) => Appended[];

  constructor(db: Database.Database) {
    this.stmt = {
      findByClientId: db.prepare<[string, string, string], MessageRow>(
        'SELECT * FROM messages WHERE sender = ? AND conversation = ? AND client_id = ?',
      ),
      ensureConversation: db.prepare('INSERT OR IGNORE INTO conversations (id, user_a, user_b, last_seq) VALUES (?, ?, ?, 0)'),
      bumpSeq: db.prepare<[string], { last_seq: number }>('UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq'),
      insertMessage: db.prepare(
        `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    const tx = db.transaction((items: NewMessage[]) => items.map((m) => this.one(m)));
    this.append = (batch) => {
      try {
        // IMMEDIATE: take the write lock first (waiting for it under busy_timeout). A deferred
        // transaction that reads first fails at once with SQLITE_BUSY when the server's main
        // connection writes (a session, a read marker) between that read and our first write.
        return tx.immediate(batch);
      } catch (err) {
        // A rolled-back transaction may have created conversations that are gone again.
        this.known.clear();
        throw err;
      }
    };
  }

  private one(m: NewMessage): Appended {
    const conversation = conversationId(m.from, m.to);
    const existing = this.stmt.findByClientId.get(m.from, conversation, m.clientId);
    if (existing) return { duplicate: existing };
    if (!this.known.has(conversation)) {
      const [a, b] = conversation.split(':');
      this.stmt.ensureConversation.run(conversation, a, b);
      this.known.add(conversation);
    }
    const seq = this.stmt.bumpSeq.get(conversation)!.last_seq;
    const info = this.stmt.insertMessage.run(conversation, seq, m.from, m.to, m.text, m.at, m.clientId, m.kind);
    return { id: Number(info.lastInsertRowid), seq, conversation };
  }
}
