/** The embedded store: one SQLite file in WAL mode with synchronous=FULL. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  conversationOf,
  isGroup,
  nameSkeleton,
  otherParty,
  type BroadcastMessage,
  type ChatMessage,
  type GroupInfo,
} from '@tui-chat/protocol';
import type {
  AppendResult,
  BroadcastAppendResult,
  GroupUnread,
  NewBroadcast,
  NewMessage,
  SessionRecord,
  Store,
  UserRecord,
} from '../types.js';
import type { SearchOptions } from '../types.js';
import { migrations } from './migrations.js';
import { Appender, type Appended } from './appender.js';
import { SearchIndexer } from './search-indexer.js';
import { Bookkeeping, type BookkeepingWrite } from './bookkeeping.js';
import { WriterThread } from './writer-thread.js';
import { SqliteSearch } from './search.js';
import { SearchThread } from './search-thread.js';
import { rowsWithin, toBroadcast, toMessage, toUser, type BroadcastRow, type MessageRow, type UserRow } from '../rows.js';

/** Thrown when the database file cannot be opened or is not a tui-chat database. */
export class StoreOpenError extends Error {}

/**
 * Creates the database's folder one level at a time, readable by its owner only. (Node 20's
 * recursive mkdirSync spins forever on some paths, such as ones under /proc.)
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode: 0o700 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new StoreOpenError(`cannot create the folder ${d} for the database (${code}).`);
    }
  }
}

/**
 * The file readable by its owner only: a new one is created 0600 before SQLite opens it (SQLite
 * gives its -wal and -shm files the database file's permissions). An existing file, or its
 * folder, that others can read is left as it is and reported.
 */
function guardFile(file: string): string[] {
  const warnings: string[] = [];
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    return warnings;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return warnings; // SQLite reports the real problem
  }
  for (const [what, at] of [
    ['database file', file],
    ['folder of the database', path.dirname(path.resolve(file))],
  ] as const) {
    const mode = fs.statSync(at).mode & 0o777;
    if (mode & 0o077) {
      warnings.push(
        `the ${what} ${at} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}); chmod ${what === 'database file' ? '600' : '700'} it.`,
      );
    }
  }
  return warnings;
}

export class SqliteStore implements Store {
  readonly location: string;
  /** Said once at start: files or folders others can read. */
  readonly warnings: string[] = [];
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly writer: WriterThread | null;
  private inline: { appender: Appender; indexer: SearchIndexer } | null = null;
  private inlineBookkeeping: Bookkeeping | null = null;
  /** Searches run on their own thread for a file (see search-worker.ts); inline for ':memory:'. */
  private readonly searcher: SearchThread | SqliteSearch;

  constructor(file: string) {
    this.location = file;
    if (file !== ':memory:') {
      makeFolder(path.dirname(path.resolve(file)));
      this.warnings = guardFile(file);
    }
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      // Never a checkpoint on the event loop: the checkpointer thread does them (see checkpoint-worker.ts).
      if (file !== ':memory:') this.db.pragma('wal_autocheckpoint = 0');
      this.migrate();
    } catch (err) {
      const reason = (err as { code?: string; message?: string }).message ?? String(err);
      throw new StoreOpenError(`cannot open the database ${file}: ${reason}`);
    }
    this.writer = file === ':memory:' ? null : new WriterThread(file);
    const db = this.db;
    this.searcher = file === ':memory:' ? new SqliteSearch(db) : new SearchThread(file);
    this.stmt = {
      insertUser: db.prepare('INSERT OR IGNORE INTO users (name, password_hash, created_at, skeleton) VALUES (?, ?, ?, ?)'),
      usersLike: db.prepare<[string], { name: string }>('SELECT name FROM users WHERE skeleton = ? ORDER BY name'),
      getUser: db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?'),
      listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name'),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE name = ?'),
      replacePassword: db.prepare('UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?'),
      seenSince: db.prepare<[number], { name: string }>('SELECT name FROM users WHERE last_seen_at >= ? ORDER BY name'),
      // A range on the primary key: names are a-z 0-9 _ . - (all below '~'), so prefix..prefix~ holds them all.
      userNames: db.prepare<[string, string, string, number], { name: string }>(
        'SELECT name FROM users WHERE name > ? AND name >= ? AND name < ? ORDER BY name LIMIT ?',
      ),
      getSession: db.prepare<[string], { token_hash: string; user: string; created_at: number; last_used_at: number }>(
        'SELECT * FROM sessions WHERE token_hash = ?',
      ),
      historyBefore: db.prepare<[string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE conversation = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      messagesAfter: db.prepare<[string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE conversation = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      conversationsOf: db.prepare<[string, string, string, string], { id: string; last_seq: number; read_seq: number | null }>(
        `SELECT c.id, c.last_seq, r.seq AS read_seq FROM conversations c
         LEFT JOIN read_markers r ON r.conversation = c.id AND r.user = ?
         WHERE c.user_a = ? OR c.user_b = ? OR c.id IN (SELECT group_name FROM group_members WHERE user = ?)`,
      ),
      // One's own newest line in a group: what came before it counts as read (see conversationsOf).
      ownLast: db.prepare<[string, string], { seq: number | null }>(
        'SELECT MAX(seq) AS seq FROM messages WHERE conversation = ? AND sender = ?',
      ),
      // In a group every message but one's own is to be read.
      groupUnreadCount: db.prepare<[string, string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM messages WHERE conversation = ? AND sender <> ? AND seq > ?',
      ),
      insertGroup: db.prepare('INSERT OR IGNORE INTO groups (name, created_by, created_at) VALUES (?, ?, ?)'),
      getGroup: db.prepare<[string], { name: string; created_by: string; created_at: number }>('SELECT * FROM groups WHERE name = ?'),
      groupMembers: db.prepare<[string], { user: string }>('SELECT user FROM group_members WHERE group_name = ? ORDER BY user'),
      insertMember: db.prepare('INSERT OR IGNORE INTO group_members (group_name, user, joined_at) VALUES (?, ?, ?)'),
      deleteMember: db.prepare('DELETE FROM group_members WHERE group_name = ? AND user = ?'),
      groupsOf: db.prepare<[string], { group_name: string }>('SELECT group_name FROM group_members WHERE user = ? ORDER BY group_name'),
      markerAtLast: db.prepare(
        `INSERT INTO read_markers (user, conversation, seq) SELECT ?, id, last_seq FROM conversations WHERE id = ?
         ON CONFLICT (user, conversation) DO UPDATE SET seq = excluded.seq`,
      ),
      deleteMarker: db.prepare('DELETE FROM read_markers WHERE user = ? AND conversation = ?'),
      unreadCount: db.prepare<[string, string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM messages WHERE conversation = ? AND recipient = ? AND seq > ?',
      ),
      lastMessage: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT 1'),
      unread: db.prepare<[string, string, number], MessageRow>(
        `SELECT m.* FROM messages m
         LEFT JOIN read_markers r ON r.user = ? AND r.conversation = m.conversation
         WHERE m.recipient = ? AND m.seq > COALESCE(r.seq, 0)
         ORDER BY m.id LIMIT ?`,
      ),
      getMarker: db.prepare<[string, string], { seq: number }>('SELECT seq FROM read_markers WHERE user = ? AND conversation = ?'),
      block: db.prepare('INSERT OR IGNORE INTO blocks (user, blocked, created_at) VALUES (?, ?, ?)'),
      unblock: db.prepare('DELETE FROM blocks WHERE user = ? AND blocked = ?'),
      blockedBy: db.prepare<[string], { blocked: string }>('SELECT blocked FROM blocks WHERE user = ? ORDER BY blocked'),
      blockersOf: db.prepare<[string], { user: string }>('SELECT user FROM blocks WHERE blocked = ?'),
      blocks: db.prepare<[string, string], { user: string }>('SELECT user FROM blocks WHERE user = ? AND blocked = ?'),
      insertBroadcast: db.prepare<[string, string, number, string], BroadcastRow>(
        `INSERT INTO broadcasts (sender, body, created_at, client_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (sender, client_id) DO NOTHING RETURNING *`,
      ),
      getBroadcast: db.prepare<[string, string], BroadcastRow>('SELECT * FROM broadcasts WHERE sender = ? AND client_id = ?'),
      insertBroadcastRecipient: db.prepare('INSERT OR IGNORE INTO broadcast_recipients (user, broadcast_id) VALUES (?, ?)'),
      broadcastsFor: db.prepare<[string, number, number], BroadcastRow>(
        `SELECT b.* FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
         WHERE r.user = ? AND r.broadcast_id < ? ORDER BY r.broadcast_id DESC LIMIT ?`,
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) {
      throw new Error(`it was written by a newer tui-chat (schema ${version}, this one knows ${migrations.length})`);
    }
    for (let v = version; v < migrations.length; v++) {
      this.db.transaction(() => {
        this.db.exec(migrations[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
    // Skeletons of accounts made before they were recorded (computed here, not in SQL).
    const missing = this.db.prepare<[], { name: string }>('SELECT name FROM users WHERE skeleton IS NULL').all();
    if (missing.length > 0) {
      const set = this.db.prepare('UPDATE users SET skeleton = ? WHERE name = ?');
      this.db.transaction(() => {
        for (const { name } of missing) set.run(nameSkeleton(name), name);
      })();
    }
  }

  async createUser(name: string, passwordHash: string, at: number): Promise<boolean> {
    return this.stmt.insertUser.run(name, passwordHash, at, nameSkeleton(name)).changes === 1;
  }

  async usersLike(skeleton: string): Promise<string[]> {
    return this.stmt.usersLike.all(skeleton).map((r) => r.name);
  }

  async getUser(name: string): Promise<UserRecord | null> {
    const row = this.stmt.getUser.get(name);
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.stmt.listUsers.all().map(toUser);
  }

  async removeUser(name: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE user = ?').run(name);
      this.db.prepare('DELETE FROM blocks WHERE user = ? OR blocked = ?').run(name, name);
      this.db.prepare('DELETE FROM read_markers WHERE user = ?').run(name);
      this.db.prepare('DELETE FROM broadcast_recipients WHERE user = ?').run(name);
      this.db.prepare('DELETE FROM group_members WHERE user = ?').run(name);
      return this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes === 1;
    })();
  }

  async setPasswordHash(name: string, passwordHash: string): Promise<boolean> {
    return this.stmt.setPassword.run(passwordHash, name).changes === 1;
  }

  async replacePasswordHash(name: string, expected: string, passwordHash: string): Promise<boolean> {
    return this.stmt.replacePassword.run(passwordHash, name, expected).changes === 1;
  }

  async existingUsers(names: string[]): Promise<string[]> {
    return names.filter((n) => this.stmt.getUser.get(n) !== undefined);
  }

  async touchLastSeen(names: string[], at: number): Promise<void> {
    if (names.length > 0) await this.bookkeeping({ op: 'lastSeen', names, at });
  }

  /** On the writer thread for a file (see bookkeeping.ts: off the event loop, no wait for its lock). */
  private async bookkeeping(w: BookkeepingWrite): Promise<number> {
    if (this.writer) return this.writer.bookkeeping(w);
    this.inlineBookkeeping ??= new Bookkeeping(this.db);
    return this.inlineBookkeeping.run(w);
  }

  async userNames(prefix: string, after: string, limit: number): Promise<string[]> {
    return this.stmt.userNames.all(after, prefix, `${prefix}~`, limit).map((r) => r.name);
  }

  async seenSince(since: number): Promise<string[]> {
    return this.stmt.seenSince.all(since).map((r) => r.name);
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.bookkeeping({ op: 'create', session });
  }

  async getSession(tokenHash: string): Promise<SessionRecord | null> {
    const r = this.stmt.getSession.get(tokenHash);
    return r ? { tokenHash: r.token_hash, user: r.user, createdAt: r.created_at, lastUsedAt: r.last_used_at } : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.bookkeeping({ op: 'delete', tokenHash });
  }

  async touchSessions(tokenHashes: string[], at: number): Promise<void> {
    if (tokenHashes.length > 0) await this.bookkeeping({ op: 'touch', tokenHashes, at });
  }

  async pruneSessions(user: string, keep: number): Promise<number> {
    return this.bookkeeping({ op: 'prune', user, keep });
  }

  /**
   * One transaction for the whole batch: this is the group commit. A file database commits on the
   * writer thread, so the fsync never blocks the event loop; ':memory:' has no file to share.
   */
  /** ':memory:': stored and indexed in line (no thread to index behind it, and nothing to gain). */
  private appendInline(batch: NewMessage[]): Appended {
    this.inline ??= { appender: new Appender(this.db), indexer: new SearchIndexer(this.db) };
    const appended = this.inline.appender.append(batch);
    this.inline.indexer.indexAll();
    return appended;
  }

  async appendMessages(batch: NewMessage[]): Promise<AppendResult[]> {
    const { ids, duplicates } = this.writer ? await this.writer.append(batch) : this.appendInline(batch);
    return batch.map((m, i): AppendResult => {
      const id = ids[2 * i]!;
      if (id === -1) return { message: toMessage(duplicates[ids[2 * i + 1]!]!), duplicate: true };
      return {
        duplicate: false,
        message: {
          id,
          conversation: conversationOf(m.from, m.to),
          seq: ids[2 * i + 1]!,
          from: m.from,
          to: m.to,
          text: m.text,
          at: m.at,
          clientId: m.clientId,
          kind: m.kind,
        },
      };
    });
  }

  /** Starts the writer thread, so the first message does not wait for it. */
  async warmUp(): Promise<void> {
    await this.writer?.ready();
  }

  /** Rows are stepped one by one and the step stops at the byte bound: only what the page can hold is read. */
  async history(conversation: string, limit: number, before?: number, maxTextBytes?: number): Promise<ChatMessage[]> {
    return rowsWithin(this.stmt.historyBefore.iterate(conversation, before ?? Number.MAX_SAFE_INTEGER, limit), maxTextBytes)
      .reverse()
      .map(toMessage);
  }

  async messagesAfter(conversation: string, afterSeq: number, limit: number, maxTextBytes?: number): Promise<ChatMessage[]> {
    return rowsWithin(this.stmt.messagesAfter.iterate(conversation, afterSeq, limit), maxTextBytes).map(toMessage);
  }

  async search(user: string, terms: readonly string[], options: SearchOptions): Promise<ChatMessage[]> {
    // The index trails the messages (search-indexer.ts); a search sees all of them.
    if (this.writer) await this.writer.searchable();
    return this.searcher.run(user, terms, options);
  }

  async conversationsOf(user: string) {
    return this.stmt.conversationsOf.all(user, user, user, user).map((c) => {
      const readSeq = this.readSeqOf(user, c.id, c.read_seq ?? 0);
      const last = this.stmt.lastMessage.get(c.id);
      return {
        with: otherParty(c.id, user),
        conversation: c.id,
        lastSeq: c.last_seq,
        readSeq,
        unread: this.unreadAfter(user, c.id, readSeq),
        last: last ? toMessage(last) : null,
      };
    });
  }

  async unreadFor(user: string, limit: number): Promise<ChatMessage[]> {
    return this.stmt.unread.all(user, user, limit).map(toMessage);
  }

  /** One count per group (at most GROUPS_PER_USER_MAX), each on the (conversation, seq) index. */
  async unreadGroupsOf(user: string): Promise<GroupUnread[]> {
    return this.stmt.groupsOf
      .all(user)
      .map((r) => ({ group: r.group_name, unread: this.countUnread(user, r.group_name) }))
      .filter((g) => g.unread > 0);
  }

  async markRead(user: string, conversation: string, seq: number): Promise<number> {
    // One per message read in an open conversation: on the writer thread, like a login's writes.
    return this.bookkeeping({ op: 'read', user, conversation, seq });
  }

  async unreadIn(user: string, conversation: string): Promise<number> {
    return this.countUnread(user, conversation);
  }

  private countUnread(user: string, conversation: string): number {
    return this.unreadAfter(user, conversation, this.readSeqOf(user, conversation, this.stmt.getMarker.get(user, conversation)?.seq ?? 0));
  }

  /**
   * In a group, writing a line reads everything before it: the marker counts from one's newest
   * line too, so the `new` line never lands above it (found, not written: no extra write per message).
   */
  private readSeqOf(user: string, conversation: string, marker: number): number {
    if (!isGroup(conversation)) return marker;
    return Math.max(marker, this.stmt.ownLast.get(conversation, user)?.seq ?? 0);
  }

  private unreadAfter(user: string, conversation: string, readSeq: number): number {
    return (isGroup(conversation) ? this.stmt.groupUnreadCount : this.stmt.unreadCount).get(conversation, user, readSeq)!.n;
  }

  async createGroup(group: string, createdBy: string, members: string[], at: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.stmt.insertGroup.run(group, createdBy, at).changes === 0) return false;
      this.db.prepare('INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES (?, ?, ?, 0)').run(group, group, group);
      for (const user of new Set([createdBy, ...members])) this.stmt.insertMember.run(group, user, at);
      return true;
    })();
  }

  async getGroup(group: string): Promise<GroupInfo | null> {
    const row = this.stmt.getGroup.get(group);
    if (!row) return null;
    const members = this.stmt.groupMembers.all(group).map((r) => r.user);
    return { group: row.name, members, createdBy: row.created_by, createdAt: row.created_at };
  }

  async addGroupMember(group: string, user: string, at: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.stmt.insertMember.run(group, user, at).changes === 0) return false;
      this.stmt.markerAtLast.run(user, group);
      return true;
    })();
  }

  async removeGroupMember(group: string, user: string): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.stmt.deleteMember.run(group, user).changes === 0) return false;
      this.stmt.deleteMarker.run(user, group);
      return true;
    })();
  }

  async groupsOf(user: string): Promise<string[]> {
    return this.stmt.groupsOf.all(user).map((r) => r.group_name);
  }

  /** On the main connection: broadcasts are rare next to messages, and one transaction covers all recipients. */
  async appendBroadcast(b: NewBroadcast, recipients: string[]): Promise<BroadcastAppendResult> {
    return this.db.transaction((): BroadcastAppendResult => {
      const row = this.stmt.insertBroadcast.get(b.from, b.text, b.at, b.clientId);
      if (!row) return { message: toBroadcast(this.stmt.getBroadcast.get(b.from, b.clientId)!), duplicate: true };
      for (const user of new Set([b.from, ...recipients])) this.stmt.insertBroadcastRecipient.run(user, row.id);
      return { message: toBroadcast(row), duplicate: false };
    })();
  }

  async broadcastsFor(user: string, limit: number, before?: number): Promise<BroadcastMessage[]> {
    return this.stmt.broadcastsFor
      .all(user, before ?? Number.MAX_SAFE_INTEGER, limit)
      .reverse()
      .map(toBroadcast);
  }

  async block(user: string, target: string, at: number): Promise<void> {
    this.stmt.block.run(user, target, at);
  }

  async unblock(user: string, target: string): Promise<boolean> {
    return this.stmt.unblock.run(user, target).changes === 1;
  }

  async blockedBy(user: string): Promise<string[]> {
    return this.stmt.blockedBy.all(user).map((r) => r.blocked);
  }

  async blockersOf(sender: string, candidates?: string[]): Promise<string[]> {
    // The common case, one recipient: a primary-key lookup instead of every blocker of the sender.
    if (candidates?.length === 1) return this.stmt.blocks.get(candidates[0]!, sender) ? [candidates[0]!] : [];
    const all = this.stmt.blockersOf.all(sender).map((r) => r.user);
    return candidates ? all.filter((u) => candidates.includes(u)) : all;
  }

  async close(): Promise<void> {
    if (this.searcher instanceof SearchThread) await this.searcher.close();
    await this.writer?.close();
    if (this.db.open) this.db.close();
  }
}
