/**
 * The cluster store: PostgreSQL through a `pg` pool, the same contract as the SQLite store.
 * Several server processes share it. A batch from the MessageWriter is one transaction: the
 * conversations it touches are locked in one order (so two nodes never deadlock), duplicates are
 * looked up under that lock, seq numbers come from `UPDATE ... RETURNING`, and the promise
 * resolves only after COMMIT (synchronous_commit=on), so an acknowledged message is on disk. The
 * batch is one statement (migration 6's function), so a group commit costs one round trip.
 */
import pg from 'pg';
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
import { searchMessages } from './search.js';
import { StoreOpenError } from '../sqlite/sqlite-store.js';
import { MIGRATION_LOCK_KEY, migrations } from './migrations.js';
import { toBroadcast, toMessage, toUser, type BroadcastRow, type MessageRow, type UserRow } from '../rows.js';
import { isPostgresUrl, redactUrl } from '../../config.js';

export { isPostgresUrl };

const INT8_OID = 20;
/** BIGINT columns (times in ms, ids, seqs) come back as numbers, not strings; they stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A row of tui_chat_append_messages (migration 6): one per item of the batch, in order. */
interface AppendRow {
  n: number;
  id: number;
  seq: number;
  duplicate: boolean;
  /** The item this one is a copy of within the batch (itself when new); null for a copy from an earlier batch. */
  first_n: number | null;
  e_recipient: string | null;
  e_body: string | null;
  e_created_at: number | null;
  e_kind: string | null;
}

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long to wait for a connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Told of errors on idle pooled connections (a restarted database, a cut network). */
  onError?: (err: Error) => void;
}

/** A sentence for a failed connection, from the driver's error. */
function reason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running there?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
      return 'no answer (timed out)';
    case '3D000':
      return `${e.message ?? 'the database does not exist'} (create it first, e.g. createdb)`;
    case '28P01':
    case '28000':
      return `the server refused the login: ${e.message ?? 'authentication failed'}`;
    default:
      if (/timeout/i.test(e.message ?? '')) return 'no answer within the connect timeout';
      return e.message ?? String(err);
  }
}

/** Error codes of a database out of reach: connection exceptions (08...), shutdowns, no connection slots, and the socket's own. */
const UNREACHABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True for failures of the connection rather than of the statement. */
export function isUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && (e.code.startsWith('08') || UNREACHABLE_CODES.has(e.code))) return true;
  // pg's own words for a connection that ended or never came.
  return (
    typeof e?.message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|not queryable/i.test(e.message)
  );
}

export class PostgresStore implements Store {
  readonly location: string;

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
  ) {
    this.location = redactUrl(url);
  }

  /** Connects, checks the database answers and applies pending migrations; StoreOpenError when it cannot. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const shown = redactUrl(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new StoreOpenError(`${shown} is not a valid PostgreSQL URL; write postgres://user[:password]@host[:port]/database.`);
    }
    if (!isPostgresUrl(url)) throw new StoreOpenError(`${shown} is not a PostgreSQL URL; it must start with postgres:// or postgresql://.`);
    if (!parsed.hostname && !parsed.searchParams.get('host'))
      throw new StoreOpenError(`${shown} names no host; write postgres://user@host:5432/database.`);
    if (parsed.pathname.replace(/^\//, '') === '')
      throw new StoreOpenError(`${shown} names no database; write postgres://user@host:5432/database.`);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      // A database that stops answering without closing the connection fails the query instead of
      // hanging it; TCP keep-alive notices the silence on idle connections.
      query_timeout: 30_000,
      keepAlive: true,
      application_name: 'tui-chat',
      // Acknowledged means committed to disk, whatever the server's default says.
      options: '-c synchronous_commit=on',
      types,
    });
    pool.on('error', (err) => options.onError?.(err));
    const store = new PostgresStore(pool, url);
    try {
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof StoreOpenError) throw err;
      throw new StoreOpenError(`cannot use the database ${shown}: ${reason(err)}`);
    }
    return store;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  unreachable(err: unknown): boolean {
    return isUnreachable(err);
  }

  /** Applies pending migrations in one transaction, holding an advisory lock so concurrent starts wait. */
  private async migrate(): Promise<void> {
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await c.query(
        'CREATE TABLE IF NOT EXISTS tui_chat_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM tui_chat_schema');
      const version = rows[0]?.v ?? 0;
      if (version > migrations.length) {
        throw new StoreOpenError(
          `cannot use the database ${this.location}: it was written by a newer tui-chat (schema ${version}, this one knows ${migrations.length})`,
        );
      }
      for (let v = version; v < migrations.length; v++) {
        await c.query(migrations[v]!);
        await c.query('INSERT INTO tui_chat_schema (version) VALUES ($1)', [v + 1]);
      }
      // Skeletons of accounts made before they were recorded (computed here, not in SQL).
      const { rows: missing } = await c.query<{ name: string }>('SELECT name FROM users WHERE skeleton IS NULL');
      if (missing.length > 0) {
        await c.query('UPDATE users u SET skeleton = m.s FROM unnest($1::text[], $2::text[]) AS m(n, s) WHERE u.name = m.n', [
          missing.map((m) => m.name),
          missing.map((m) => nameSkeleton(m.name)),
        ]);
      }
    });
  }

  /** Runs `work` in a transaction on one pooled connection; resolves after COMMIT. */
  private async tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch((e: Error) => {
        broken = e; // the connection is unusable: drop it from the pool
      });
      throw err;
    } finally {
      c.release(broken);
    }
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  async createUser(name: string, passwordHash: string, at: number): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO users (name, password_hash, created_at, skeleton) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
      [name, passwordHash, at, nameSkeleton(name)],
    );
    return r.rowCount === 1;
  }

  async usersLike(skeleton: string): Promise<string[]> {
    return (await this.rows<{ name: string }>('SELECT name FROM users WHERE skeleton = $1 ORDER BY name COLLATE "C"', [skeleton])).map(
      (r) => r.name,
    );
  }

  async getUser(name: string): Promise<UserRecord | null> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE name = $1', [name]);
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.rows<UserRow>('SELECT * FROM users ORDER BY name COLLATE "C"')).map(toUser);
  }

  async removeUser(name: string): Promise<boolean> {
    return this.tx(async (c) => {
      await c.query('DELETE FROM sessions WHERE user_name = $1', [name]);
      await c.query('DELETE FROM blocks WHERE user_name = $1 OR blocked = $1', [name]);
      await c.query('DELETE FROM read_markers WHERE user_name = $1', [name]);
      await c.query('DELETE FROM broadcast_recipients WHERE user_name = $1', [name]);
      await c.query('DELETE FROM group_members WHERE user_name = $1', [name]);
      return (await c.query('DELETE FROM users WHERE name = $1', [name])).rowCount === 1;
    });
  }

  async setPasswordHash(name: string, passwordHash: string): Promise<boolean> {
    return (await this.pool.query('UPDATE users SET password_hash = $1 WHERE name = $2', [passwordHash, name])).rowCount === 1;
  }

  async replacePasswordHash(name: string, expected: string, passwordHash: string): Promise<boolean> {
    const sql = 'UPDATE users SET password_hash = $1 WHERE name = $2 AND password_hash = $3';
    return (await this.pool.query(sql, [passwordHash, name, expected])).rowCount === 1;
  }

  async existingUsers(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const found = new Set(
      (await this.rows<{ name: string }>('SELECT name FROM users WHERE name = ANY($1::text[])', [names])).map((r) => r.name),
    );
    return names.filter((n) => found.has(n));
  }

  async touchLastSeen(names: string[], at: number): Promise<void> {
    if (names.length === 0) return;
    await this.pool.query('UPDATE users SET last_seen_at = $1 WHERE name = ANY($2::text[])', [at, names]);
  }

  async userNames(prefix: string, after: string, limit: number): Promise<string[]> {
    const rows = await this.rows<{ name: string }>(
      // Names are a-z 0-9 _ . - (all below '~'): prefix..prefix~ holds them all, in byte order.
      'SELECT name FROM users WHERE name COLLATE "C" > $1 AND name COLLATE "C" >= $2 AND name COLLATE "C" < $3 ORDER BY name COLLATE "C" LIMIT $4',
      [after, prefix, `${prefix}~`, limit],
    );
    return rows.map((r) => r.name);
  }

  async seenSince(since: number): Promise<string[]> {
    return (await this.rows<{ name: string }>('SELECT name FROM users WHERE last_seen_at >= $1 ORDER BY name COLLATE "C"', [since])).map(
      (r) => r.name,
    );
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (token_hash, user_name, created_at, last_used_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (token_hash) DO UPDATE SET user_name = EXCLUDED.user_name, created_at = EXCLUDED.created_at, last_used_at = EXCLUDED.last_used_at`,
      [s.tokenHash, s.user, s.createdAt, s.lastUsedAt],
    );
  }

  async getSession(tokenHash: string): Promise<SessionRecord | null> {
    const [r] = await this.rows<{ token_hash: string; user_name: string; created_at: number; last_used_at: number }>(
      'SELECT * FROM sessions WHERE token_hash = $1',
      [tokenHash],
    );
    return r ? { tokenHash: r.token_hash, user: r.user_name, createdAt: r.created_at, lastUsedAt: r.last_used_at } : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async touchSessions(tokenHashes: string[], at: number): Promise<void> {
    if (tokenHashes.length === 0) return;
    await this.pool.query('UPDATE sessions SET last_used_at = GREATEST(last_used_at, $1) WHERE token_hash = ANY($2::text[])', [
      at,
      tokenHashes,
    ]);
  }

  async pruneSessions(user: string, keep: number): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM sessions WHERE user_name = $1 AND token_hash NOT IN
       (SELECT token_hash FROM sessions WHERE user_name = $1 ORDER BY last_used_at DESC, created_at DESC LIMIT $2)`,
      [user, keep],
    );
    return r.rowCount ?? 0;
  }

  /**
   * The whole batch (the group commit) in one round trip: one call of the prepared statement that
   * runs migration 6's function (make and lock the conversations, find earlier copies, take the
   * seqs, insert), committed as it returns. Rows come back in the order given.
   */
  async appendMessages(batch: NewMessage[]): Promise<AppendResult[]> {
    if (batch.length === 0) return [];
    const items = batch.map((m) => ({ ...m, conversation: conversationOf(m.from, m.to) }));
    // A group's row is made with the group (`#name` as both users); a pair's on its first message.
    const owners = items.map((i) => (isGroup(i.conversation) ? [i.conversation, i.conversation] : i.conversation.split(':')));
    const { rows } = await this.pool.query<AppendRow>({
      name: 'append-messages',
      text: 'SELECT * FROM tui_chat_append_messages($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[])',
      values: [
        items.map((i) => i.conversation),
        owners.map((o) => o[0]),
        owners.map((o) => o[1]),
        items.map((i) => i.from),
        items.map((i) => i.to),
        items.map((i) => i.text),
        items.map((i) => i.at),
        items.map((i) => i.clientId),
        items.map((i) => i.kind),
      ],
    });
    return rows.map((r): AppendResult => {
      const item = items[r.n - 1]!;
      // An earlier batch's copy keeps its own text and time; a copy within this batch is its first.
      const source =
        r.first_n === null
          ? {
              to: r.e_recipient!,
              text: r.e_body!,
              at: r.e_created_at!,
              kind: r.e_kind === 'broadcast' ? ('broadcast' as const) : ('direct' as const),
            }
          : items[r.first_n - 1]!;
      return {
        message: {
          id: r.id,
          conversation: item.conversation,
          seq: r.seq,
          from: item.from,
          to: source.to,
          text: source.text,
          at: source.at,
          clientId: item.clientId,
          kind: source.kind,
        },
        duplicate: r.duplicate,
      };
    });
  }

  /** The byte bound is kept in the database (a running sum), so only what the page can hold travels. */
  async history(conversation: string, limit: number, before?: number, maxTextBytes?: number): Promise<ChatMessage[]> {
    const rows = await this.rows<MessageRow>(
      `SELECT * FROM (SELECT m.*, SUM(octet_length(m.body)) OVER (ORDER BY m.seq DESC) - octet_length(m.body) AS bytes_before
         FROM messages m WHERE conversation = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) t
       WHERE $4::bigint IS NULL OR bytes_before < $4::bigint OR bytes_before = 0 ORDER BY seq DESC`,
      [conversation, before ?? Number.MAX_SAFE_INTEGER, limit, maxTextBytes ?? null],
    );
    return rows.reverse().map(toMessage);
  }

  async messagesAfter(conversation: string, afterSeq: number, limit: number, maxTextBytes?: number): Promise<ChatMessage[]> {
    const rows = await this.rows<MessageRow>(
      `SELECT * FROM (SELECT m.*, SUM(octet_length(m.body)) OVER (ORDER BY m.seq) - octet_length(m.body) AS bytes_before
         FROM messages m WHERE conversation = $1 AND seq > $2 ORDER BY seq LIMIT $3) t
       WHERE $4::bigint IS NULL OR bytes_before < $4::bigint OR bytes_before = 0 ORDER BY seq`,
      [conversation, afterSeq, limit, maxTextBytes ?? null],
    );
    return rows.map(toMessage);
  }

  async search(user: string, terms: readonly string[], options: SearchOptions): Promise<ChatMessage[]> {
    return searchMessages(this.pool, user, terms, options);
  }

  async conversationsOf(user: string) {
    // Pairs count the messages to the user; groups every message but the user's own, after the
    // marker or the user's own newest line, whichever is later (writing a line reads what came before).
    const rows = await this.rows<{ id: string; last_seq: number; read_seq: number; unread: number; last: MessageRow | null }>(
      `SELECT c.id, c.last_seq, k.read_seq,
         (CASE WHEN c.user_a = $1 OR c.user_b = $1
           THEN (SELECT count(*) FROM messages u WHERE u.conversation = c.id AND u.recipient = $1 AND u.seq > k.read_seq)
           ELSE (SELECT count(*) FROM messages u WHERE u.conversation = c.id AND u.sender <> $1 AND u.seq > k.read_seq)
         END)::int AS unread,
         (SELECT row_to_json(l) FROM (SELECT * FROM messages m WHERE m.conversation = c.id ORDER BY m.seq DESC LIMIT 1) l) AS last
       FROM conversations c
       LEFT JOIN read_markers r ON r.conversation = c.id AND r.user_name = $1
       CROSS JOIN LATERAL (SELECT CASE WHEN c.user_a = $1 OR c.user_b = $1 THEN COALESCE(r.seq, 0)
         ELSE GREATEST(COALESCE(r.seq, 0), COALESCE((SELECT max(o.seq) FROM messages o WHERE o.conversation = c.id AND o.sender = $1), 0))
         END AS read_seq) k
       WHERE c.user_a = $1 OR c.user_b = $1 OR c.id IN (SELECT group_name FROM group_members WHERE user_name = $1)`,
      [user],
    );
    return rows.map((c) => ({
      with: otherParty(c.id, user),
      conversation: c.id,
      lastSeq: c.last_seq,
      readSeq: c.read_seq,
      unread: c.unread,
      // row_to_json gives BIGINTs as JSON numbers already.
      last: c.last ? toMessage(c.last) : null,
    }));
  }

  async unreadFor(user: string, limit: number): Promise<ChatMessage[]> {
    const rows = await this.rows<MessageRow>(
      `SELECT m.* FROM messages m
       LEFT JOIN read_markers r ON r.user_name = $1 AND r.conversation = m.conversation
       WHERE m.recipient = $1 AND m.seq > COALESCE(r.seq, 0)
       ORDER BY m.id LIMIT $2`,
      [user, limit],
    );
    return rows.map(toMessage);
  }

  /** The same counts as conversationsOf's for groups, in one query over the user's groups (at most GROUPS_PER_USER_MAX). */
  async unreadGroupsOf(user: string): Promise<GroupUnread[]> {
    return this.rows<GroupUnread>(
      `SELECT g.group_name AS "group", n.unread FROM group_members g
       LEFT JOIN read_markers r ON r.conversation = g.group_name AND r.user_name = $1
       CROSS JOIN LATERAL (SELECT GREATEST(COALESCE(r.seq, 0),
         COALESCE((SELECT max(o.seq) FROM messages o WHERE o.conversation = g.group_name AND o.sender = $1), 0)) AS read_seq) k
       CROSS JOIN LATERAL (SELECT count(*)::int AS unread FROM messages u
         WHERE u.conversation = g.group_name AND u.sender <> $1 AND u.seq > k.read_seq) n
       WHERE g.user_name = $1 AND n.unread > 0
       ORDER BY g.group_name COLLATE "C"`,
      [user],
    );
  }

  async markRead(user: string, conversation: string, seq: number): Promise<number> {
    const [row] = await this.rows<{ seq: number }>(
      `INSERT INTO read_markers (user_name, conversation, seq)
       VALUES ($1, $2, LEAST($3::bigint, COALESCE((SELECT last_seq FROM conversations WHERE id = $2), 0)))
       ON CONFLICT (user_name, conversation) DO UPDATE SET seq = GREATEST(read_markers.seq, EXCLUDED.seq)
       RETURNING seq`,
      [user, conversation, seq],
    );
    return row?.seq ?? 0;
  }

  async unreadIn(user: string, conversation: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages
       WHERE conversation = $2 AND ${isGroup(conversation) ? 'sender <> $1' : 'recipient = $1'}
         AND seq > GREATEST(COALESCE((SELECT seq FROM read_markers WHERE user_name = $1 AND conversation = $2), 0),
           ${isGroup(conversation) ? 'COALESCE((SELECT max(seq) FROM messages WHERE conversation = $2 AND sender = $1), 0)' : '0'})`,
      [user, conversation],
    );
    return row?.n ?? 0;
  }

  async createGroup(group: string, createdBy: string, members: string[], at: number): Promise<boolean> {
    return this.tx(async (c) => {
      const made = await c.query('INSERT INTO groups (name, created_by, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
        group,
        createdBy,
        at,
      ]);
      if (made.rowCount !== 1) return false;
      await c.query('INSERT INTO conversations (id, user_a, user_b) VALUES ($1, $1, $1)', [group]);
      await c.query(
        `INSERT INTO group_members (group_name, user_name, joined_at)
         SELECT $1, u, $3 FROM unnest($2::text[]) AS u ON CONFLICT DO NOTHING`,
        [group, [...new Set([createdBy, ...members])], at],
      );
      return true;
    });
  }

  async getGroup(group: string): Promise<GroupInfo | null> {
    const [row] = await this.rows<{ name: string; created_by: string; created_at: number; members: string[] }>(
      `SELECT g.*, ARRAY(SELECT user_name FROM group_members m WHERE m.group_name = g.name ORDER BY user_name COLLATE "C") AS members
       FROM groups g WHERE g.name = $1`,
      [group],
    );
    return row ? { group: row.name, members: row.members, createdBy: row.created_by, createdAt: row.created_at } : null;
  }

  async addGroupMember(group: string, user: string, at: number): Promise<boolean> {
    return this.tx(async (c) => {
      const added = await c.query(
        'INSERT INTO group_members (group_name, user_name, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [group, user, at],
      );
      if (added.rowCount !== 1) return false;
      await c.query(
        `INSERT INTO read_markers (user_name, conversation, seq) SELECT $1, id, last_seq FROM conversations WHERE id = $2
         ON CONFLICT (user_name, conversation) DO UPDATE SET seq = EXCLUDED.seq`,
        [user, group],
      );
      return true;
    });
  }

  async removeGroupMember(group: string, user: string): Promise<boolean> {
    return this.tx(async (c) => {
      const gone = await c.query('DELETE FROM group_members WHERE group_name = $1 AND user_name = $2', [group, user]);
      if (gone.rowCount !== 1) return false;
      await c.query('DELETE FROM read_markers WHERE user_name = $1 AND conversation = $2', [user, group]);
      return true;
    });
  }

  async groupsOf(user: string): Promise<string[]> {
    const rows = await this.rows<{ group_name: string }>(
      'SELECT group_name FROM group_members WHERE user_name = $1 ORDER BY group_name COLLATE "C"',
      [user],
    );
    return rows.map((r) => r.group_name);
  }

  async appendBroadcast(b: NewBroadcast, recipients: string[]): Promise<BroadcastAppendResult> {
    return this.tx(async (c): Promise<BroadcastAppendResult> => {
      const inserted = await c.query<BroadcastRow>(
        `INSERT INTO broadcasts (sender, body, created_at, client_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sender, client_id) DO NOTHING RETURNING *`,
        [b.from, b.text, b.at, b.clientId],
      );
      const row = inserted.rows[0];
      if (!row) {
        const existing = await c.query<BroadcastRow>('SELECT * FROM broadcasts WHERE sender = $1 AND client_id = $2', [b.from, b.clientId]);
        return { message: toBroadcast(existing.rows[0]!), duplicate: true };
      }
      await c.query(
        `INSERT INTO broadcast_recipients (user_name, broadcast_id)
         SELECT DISTINCT u, $2::bigint FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING`,
        [[b.from, ...recipients], row.id],
      );
      return { message: toBroadcast(row), duplicate: false };
    });
  }

  async broadcastsFor(user: string, limit: number, before?: number): Promise<BroadcastMessage[]> {
    const rows = await this.rows<BroadcastRow>(
      `SELECT b.* FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
       WHERE r.user_name = $1 AND r.broadcast_id < $2 ORDER BY r.broadcast_id DESC LIMIT $3`,
      [user, before ?? Number.MAX_SAFE_INTEGER, limit],
    );
    return rows.reverse().map(toBroadcast);
  }

  async block(user: string, target: string, at: number): Promise<void> {
    await this.pool.query('INSERT INTO blocks (user_name, blocked, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      user,
      target,
      at,
    ]);
  }

  async unblock(user: string, target: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM blocks WHERE user_name = $1 AND blocked = $2', [user, target])).rowCount === 1;
  }

  async blockedBy(user: string): Promise<string[]> {
    return (
      await this.rows<{ blocked: string }>('SELECT blocked FROM blocks WHERE user_name = $1 ORDER BY blocked COLLATE "C"', [user])
    ).map((r) => r.blocked);
  }

  async blockersOf(sender: string, candidates?: string[]): Promise<string[]> {
    if (candidates) {
      const rows = await this.rows<{ user_name: string }>('SELECT user_name FROM blocks WHERE blocked = $1 AND user_name = ANY($2)', [
        sender,
        candidates,
      ]);
      return rows.map((r) => r.user_name);
    }
    return (await this.rows<{ user_name: string }>('SELECT user_name FROM blocks WHERE blocked = $1', [sender])).map((r) => r.user_name);
  }

  private closed: Promise<void> | null = null;

  async close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}
