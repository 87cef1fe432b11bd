/** The socket.io event maps, typed once for both sides. */
import type { Ack, ChatError } from './errors.js';
import type { BroadcastMessage, ChatMessage, ConversationSummary, InboxGroup, SyncedConversation } from './messages.js';
import type { RequestEvent, RequestPayload } from './schemas.js';
import type { GroupInfo, GroupUpdate } from './groups.js';

/** What each request's acknowledgement carries on success. */
export interface Replies {
  /** recipientOnline is null when a cluster node cannot tell for now (its Redis is out of reach); the message is stored either way. */
  'message:send': { message: ChatMessage; recipientOnline: boolean | null; duplicate: boolean };
  /** `message` is the stored broadcast (a resend of the same clientId answers the original, `duplicate`). */
  'broadcast:send': { recipients: string[]; message: BroadcastMessage; duplicate: boolean };
  'broadcast:list': {
    /** Online now: they have it. */
    delivered: string[];
    /** Offline: it waits in their inbox. */
    inbox: string[];
    messages: ChatMessage[];
  };
  /** `away`: those of `users` who are away, with their text ('' when they gave none). */
  'presence:whoelse': { users: string[]; away?: AwayEntry[] };
  'presence:wholast': { users: string[]; minutes: number };
  /** The server's users (you included), by name; `more`: ask again with `after` = the last name. */
  'users:list': { users: { name: string; online: boolean; away?: string }[]; more: boolean };
  /**
   * The unread private messages by sender (`groups` groups them by sender, not group conversations);
   * `more`: unread messages are left (the answer is bounded); ask again. `unreadGroups`: the group
   * conversations with something unread and how much (counts only, at most GROUPS_PER_USER_MAX,
   * left unread: they are read by opening the group). Absent from a server before it.
   */
  'inbox:fetch': { groups: InboxGroup[]; total: number; more: boolean; unreadGroups?: { group: string; unread: number }[] };
  'history:fetch': {
    with: string;
    messages: ChatMessage[];
    /** Pass as `before` for the next older page; null when this page reaches the start. */
    before: number | null;
  };
  /** This user's broadcasts to everyone (received while online, or sent), oldest first. */
  'broadcasts:fetch': {
    messages: BroadcastMessage[];
    /** Pass as `before` for the next older page; null when this page reaches the oldest kept. */
    before: number | null;
  };
  'conversations:list': { conversations: ConversationSummary[] };
  /**
   * The catch-up after a reconnect. Every conversation of the user: those the request listed with
   * the messages after the listed seq (at most a page in all), the others with their summary only.
   */
  'sync:since': {
    conversations: SyncedConversation[];
    /** Some listed conversation has more messages than this answer carries: ask again. */
    more: boolean;
  };
  'read:mark': { readSeq: number };
  /** `changed`: false when the user was blocked already (add) or not blocked (remove). */
  'block:add': { blocked: string[]; changed: boolean };
  'block:remove': { blocked: string[]; changed: boolean };
  'block:list': { blocked: string[] };
  'session:logout': object;
  /** A person is at the keyboard (the client says so at most once a minute): the idle timeout starts again. */
  'session:active': object;
  'group:create': { group: GroupInfo };
  /** `changed`: false when the user was a member already. */
  'group:invite': { group: GroupInfo; changed: boolean };
  'group:leave': object;
  /** `online`: the members online now. */
  'group:members': { group: GroupInfo; online: string[] };
  /** Said to the others of the conversation (unless a block stands between them); nothing is stored. */
  'typing:send': object;
  /** `away`: the text as kept (cleaned), or null: back. */
  'presence:away': { away: string | null };
  /**
   * Matches, newest first; `terms`: the words searched for (`searchTerms` of the query), for
   * highlighting; `before`: pass it for the next older page, null when there are no more.
   */
  'search:run': { messages: ChatMessage[]; terms: string[]; before: number | null };
}

/** Someone away, and what they said ('' when nothing). */
export interface AwayEntry {
  user: string;
  text: string;
}

/**
 * One presence change: online or not, and away (the text, '' without one) or not (null). Away is
 * the user's, shared by their sessions, and ends when they go offline. Absent: unchanged (a server
 * from before away).
 */
export interface PresenceChange {
  user: string;
  online: boolean;
  away?: string | null;
}

/** Someone in `conversation` (the id messages carry) is writing (`active`) or stopped. */
export interface TypingUpdate {
  conversation: string;
  user: string;
  active: boolean;
}

export type ReplyOf<E extends RequestEvent> = Ack<Replies[E]>;

export type ClientToServerEvents = {
  [E in RequestEvent]: (payload: RequestPayload<E>, ack: (reply: ReplyOf<E>) => void) => void;
};

export interface SessionInfo {
  user: string;
  /** Present this (with the name) in the handshake to reconnect without the password. */
  token: string;
  /** Seconds of inactivity after which the server logs the session out. */
  idleTimeoutSeconds: number;
}

export type NoticeCode = 'idle_timeout' | 'server_shutdown' | 'logged_out';

export interface ServerToClientEvents {
  'session:ready': (info: SessionInfo) => void;
  'message:new': (message: ChatMessage) => void;
  'broadcast:new': (message: BroadcastMessage) => void;
  /** A group this user is in was created, someone joined or left it (also sent to one who left, on all their sessions). */
  'group:update': (update: GroupUpdate) => void;
  /** Who came online or went offline, or away or back, batched over a short window; the last change per user wins. */
  'presence:changes': (update: { changes: PresenceChange[] }) => void;
  /** Someone else in one of this user's conversations is writing, or stopped; the receiver lets it expire by itself (TYPING_EXPIRY_MS). */
  'typing:update': (update: TypingUpdate) => void;
  'read:update': (update: { with: string; readSeq: number; unread: number }) => void;
  notice: (notice: { code: NoticeCode; message: string }) => void;
  /**
   * Catch up as after a reconnect: a cluster node died (node_lost), or this node's Redis was out
   * of reach for a while (redis_back), and messages stored but not delivered live meanwhile reach
   * their recipients only this way.
   */
  'sync:needed': (hint: { reason: 'node_lost' | 'redis_back' }) => void;
}

/** Data the server keeps on each socket. */
export interface SocketData {
  user: string;
  sessionId: string;
  tokenHash: string;
}

/** A refused handshake reaches the client as `connect_error` with this in `err.data`. */
export type HandshakeErrorData = ChatError;

/** Answers of `GET /tui-chat/info` on the server's HTTP port, readable before logging in. */
export interface ServerInfo {
  name: 'tui-chat';
  version: string;
  registration: 'open' | 'closed';
}
export const INFO_PATH = '/tui-chat/info';
/** GET: 200 when this node can reach its database (and Redis, in a cluster), else 503; for load balancers' health checks. */
export const HEALTH_PATH = '/tui-chat/health';
