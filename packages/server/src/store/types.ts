/**
 * The storage contract. SQLite implements it for one process, PostgreSQL for a cluster; the
 * contract tests run against both. Every method is async so either fits.
 */
import type { BroadcastMessage, ChatMessage, ConversationSummary, GroupInfo } from '@tui-chat/protocol';

export interface UserRecord {
  name: string;
  passwordHash: string;
  createdAt: number;
  lastSeenAt: number | null;
}

export interface SessionRecord {
  tokenHash: string;
  user: string;
  createdAt: number;
  lastUsedAt: number;
}

/** A message to store; the store assigns id and seq. */
export interface NewMessage {
  from: string;
  to: string;
  text: string;
  at: number;
  clientId: string;
  kind: ChatMessage['kind'];
}

export interface AppendResult {
  message: ChatMessage;
  /** True when (sender, conversation, clientId) was already stored: this is the original. */
  duplicate: boolean;
}

/** A broadcast to everyone to store; the store assigns its id. */
export interface NewBroadcast {
  from: string;
  text: string;
  at: number;
  clientId: string;
}

export interface BroadcastAppendResult {
  message: BroadcastMessage;
  /** True when (sender, clientId) was already stored: this is the original, and no one was added to it. */
  duplicate: boolean;
}

/** A group with messages its member has not read. */
export interface GroupUnread {
  group: string;
  unread: number;
}

/** Where a search looks and how much it brings (see Store.search). */
export interface SearchOptions {
  /** Only this conversation (a pair id or a group `#name`), when it is one of the user's. */
  conversation?: string;
  /** Only messages with an id below this. */
  before?: number;
  limit: number;
  /** As for history: the page stops once the texts reach this many bytes (at least one message). */
  maxTextBytes?: number;
}

export interface Store {
  /** Where the data lives, for log lines (a file path or a redacted URL). */
  readonly location: string;
  /** Problems worth saying at start (a database file others can read). */
  readonly warnings?: readonly string[];

  /** Creates the account (recording its name's skeleton); false when the name exists. */
  createUser(name: string, passwordHash: string, at: number): Promise<boolean>;
  /** Accounts whose names have this skeleton (protocol's nameSkeleton): the look-alikes of a name. */
  usersLike(skeleton: string): Promise<string[]>;
  getUser(name: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Removes the account, its sessions, blocks, read markers, group memberships and its copies of broadcasts; messages stay with the other party. */
  removeUser(name: string): Promise<boolean>;
  setPasswordHash(name: string, passwordHash: string): Promise<boolean>;
  /** Sets the hash only while it is still `expected` (a rehash at login must not undo a password change made meanwhile). */
  replacePasswordHash(name: string, expected: string, passwordHash: string): Promise<boolean>;
  /** The subset of `names` that have accounts. */
  existingUsers(names: string[]): Promise<string[]>;
  touchLastSeen(names: string[], at: number): Promise<void>;
  /** At most `limit` names that start with `prefix` and sort after `after` (byte order), in order. */
  userNames(prefix: string, after: string, limit: number): Promise<string[]>;
  /** Users whose last_seen_at is at or after `since`. */
  seenSince(since: number): Promise<string[]>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Moves these sessions' last use forward to `at` (never back). */
  touchSessions(tokenHashes: string[], at: number): Promise<void>;
  /** Keeps the `keep` most recently used sessions of `user`, deletes the rest; resolves with how many went. */
  pruneSessions(user: string, keep: number): Promise<number>;

  /** Stores a batch in one transaction; results in the order given. */
  appendMessages(batch: NewMessage[]): Promise<AppendResult[]>;
  /**
   * Up to `limit` messages of a conversation with seq < before (all when before is omitted), oldest
   * first. With `maxTextBytes`, the newest stop once their texts reach that many bytes (at least
   * one is given): a page that will be cut to its size as sent is not read whole from the database.
   */
  history(conversation: string, limit: number, before?: number, maxTextBytes?: number): Promise<ChatMessage[]>;
  /** Up to `limit` messages of a conversation with seq > afterSeq, oldest first; `maxTextBytes` as for history, from the oldest. */
  messagesAfter(conversation: string, afterSeq: number, limit: number, maxTextBytes?: number): Promise<ChatMessage[]>;
  /**
   * Up to `limit` messages `user` can read (their pair conversations, and the groups they are in
   * now) holding every one of `terms`, each as the start of a word, case- and (where the store can)
   * accent-insensitively; newest first. `terms` are searchTerms' words: they are looked for as
   * words, never read as the index's query syntax. No terms: no messages.
   */
  search(user: string, terms: readonly string[], options: SearchOptions): Promise<ChatMessage[]>;
  /** The user's pair conversations and groups; a group's unread counts the others' messages after the marker. */
  conversationsOf(user: string): Promise<Omit<ConversationSummary, 'online'>[]>;
  /** Unread private messages to `user` (pair conversations, not groups), oldest first, at most `limit`. */
  unreadFor(user: string, limit: number): Promise<ChatMessage[]>;
  /**
   * The user's groups with something unread (counted as conversationsOf counts them), by name: at
   * most GROUPS_PER_USER_MAX rows, counts only, so /inbox can name them beside the private messages.
   */
  unreadGroupsOf(user: string): Promise<GroupUnread[]>;
  /** Moves the read marker forward (never back); returns the marker now in force. */
  markRead(user: string, conversation: string, seq: number): Promise<number>;
  /** Messages to `user` in `conversation` after their read marker. */
  unreadIn(user: string, conversation: string): Promise<number>;

  /**
   * Stores a broadcast to everyone and who has it: the sender and each of `recipients` (those
   * online to receive it). One transaction.
   */
  appendBroadcast(broadcast: NewBroadcast, recipients: string[]): Promise<BroadcastAppendResult>;
  /** Up to `limit` of the broadcasts `user` has (sent or received) with id < before, oldest first. */
  broadcastsFor(user: string, limit: number, before?: number): Promise<BroadcastMessage[]>;

  /**
   * Creates a group (`#name`), its conversation and its members (`createdBy` among them); false when
   * a group of that name exists or existed (names are never reused). One transaction.
   */
  createGroup(group: string, createdBy: string, members: string[], at: number): Promise<boolean>;
  /** The group with its members (sorted), or null when there is none. */
  getGroup(group: string): Promise<GroupInfo | null>;
  /** Adds a member, who starts with nothing unread (their marker at the newest message); false when one already. */
  addGroupMember(group: string, user: string, at: number): Promise<boolean>;
  /** Takes a member out, with their read marker; false when not one. */
  removeGroupMember(group: string, user: string): Promise<boolean>;
  /** The groups `user` is in, by name. */
  groupsOf(user: string): Promise<string[]>;

  block(user: string, target: string, at: number): Promise<void>;
  unblock(user: string, target: string): Promise<boolean>;
  blockedBy(user: string): Promise<string[]>;
  /** Users among `candidates` that block `sender`. */
  blockersOf(sender: string, candidates?: string[]): Promise<string[]>;

  /** Gets background resources going (SQLite's writer thread) before the first client comes. */
  warmUp?(): Promise<void>;

  /** Resolves when the database answers a trivial query (a network store's health check). */
  ping?(): Promise<void>;

  /** True when `err` says the database is out of reach (a cut network, a restart), not that the request was wrong. */
  unreachable?(err: unknown): boolean;

  close(): Promise<void>;
}
