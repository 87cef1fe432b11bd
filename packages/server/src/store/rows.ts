/** The table rows both stores read (the schemas match column for column) and their mapping. */
import type { BroadcastMessage, ChatMessage } from '@tui-chat/protocol';
import type { UserRecord } from './types.js';

export interface MessageRow {
  id: number;
  conversation: string;
  seq: number;
  sender: string;
  recipient: string;
  body: string;
  created_at: number;
  client_id: string;
  kind: string;
}

export interface UserRow {
  name: string;
  password_hash: string;
  created_at: number;
  last_seen_at: number | null;
}

export const toMessage = (row: MessageRow): ChatMessage => ({
  id: row.id,
  conversation: row.conversation,
  seq: row.seq,
  from: row.sender,
  to: row.recipient,
  text: row.body,
  at: row.created_at,
  clientId: row.client_id,
  kind: row.kind === 'broadcast' ? 'broadcast' : 'direct',
});

export const toUser = (r: UserRow): UserRecord => ({
  name: r.name,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

export interface BroadcastRow {
  id: number;
  sender: string;
  body: string;
  created_at: number;
  client_id: string;
}

export const toBroadcast = (r: BroadcastRow): BroadcastMessage => ({
  id: r.id,
  from: r.sender,
  text: r.body,
  at: r.created_at,
  clientId: r.client_id,
});

/** The rows of `rows`, in order, until their bodies reach `maxBytes` (at least one); all when no bound. */
export function rowsWithin<R extends { body: string }>(rows: Iterable<R>, maxBytes: number | undefined): R[] {
  const out: R[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (maxBytes !== undefined && out.length > 0 && bytes >= maxBytes) break;
    out.push(row);
    bytes += Buffer.byteLength(row.body);
  }
  return out;
}
