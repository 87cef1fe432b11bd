/** The shapes of what the server stores and delivers. */

/** A private message (or one copy of a list broadcast) in a pair conversation. */
export interface ChatMessage {
  /** Server-wide id, increasing with time. */
  id: number;
  /** The pair conversation, see `conversationId`. */
  conversation: string;
  /** Position in the conversation, 1, 2, 3, ... with no gaps. */
  seq: number;
  from: string;
  /** The recipient, or the group (`#name`) for a group message. */
  to: string;
  text: string;
  /** When the server stored it, milliseconds since the epoch. */
  at: number;
  /** The id the sender chose; a resend with the same id is stored once. */
  clientId: string;
  /** `broadcast` when it came from a list broadcast. */
  kind: 'direct' | 'broadcast';
}

/**
 * A broadcast to everyone online: delivered live, and kept for the sender and for each user who
 * was online to receive it (so it is in their `(broadcasts)` after a new login); never for those
 * who were offline.
 */
export interface BroadcastMessage {
  /** Server-wide broadcast id, increasing with time; pages of `broadcasts:fetch` go by it. */
  id: number;
  from: string;
  text: string;
  at: number;
  clientId: string;
}

export interface ConversationSummary {
  /** The other user, or the group (`#name`). */
  with: string;
  conversation: string;
  lastSeq: number;
  /** The highest seq this user has read. */
  readSeq: number;
  unread: number;
  last: ChatMessage | null;
  online: boolean;
}

/** One conversation in the answer to `sync:since`. */
export interface SyncedConversation extends ConversationSummary {
  /** False for a conversation the request did not list (new to that client): summary only, no messages. */
  listed: boolean;
  /** For a listed conversation: its messages with seq above the one listed, oldest first. */
  messages: ChatMessage[];
  /** More messages follow the last one here: ask again with its seq. */
  more: boolean;
}

export interface InboxGroup {
  from: string;
  messages: ChatMessage[];
}

/** The id of the conversation between two users: the two names sorted, joined by ':'. */
export function conversationId(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** The conversation `me` has with `other`: a group (`#name`) is its own id, a user makes a pair. */
export function conversationOf(me: string, other: string): string {
  return other.startsWith('#') ? other : conversationId(me, other);
}

/** Whom a message's conversation is with, seen from `me`: its group, or the other user. */
export function conversationWith(m: { from: string; to: string }, me: string): string {
  if (m.to.startsWith('#')) return m.to;
  return m.from === me ? m.to : m.from;
}

/** The other side of a conversation id, seen from `me` (a group's id is the group). */
export function otherParty(conversation: string, me: string): string {
  if (conversation.startsWith('#')) return conversation;
  const [a, b] = conversation.split(':');
  return a === me ? (b ?? '') : (a ?? '');
}
