/**
 * Presence across a cluster, in Redis. Each node keeps its own sessions and writes them to
 *   {prefix}presence:node:{nodeId}   hash  user -> sessions of that user on that node
 * and proves it is alive in
 *   {prefix}presence:nodes           sorted set  nodeId -> time (ms, Redis clock) its heartbeat runs out
 * Every read counts only nodes whose heartbeat has not run out, so a node killed with SIGKILL
 * leaves no ghosts: its users drop out of `whoelse` once its heartbeat expires (ttl), and the
 * first live node to notice removes its hash and tells everyone those users went offline.
 * Each step is one Lua script, so "first session anywhere" and "last session anywhere" are exact.
 * (The scripts name keys they compute, which a single Redis or a replica set allows; Redis Cluster
 * would need the keys in one hash slot, e.g. a prefix with {braces}.)
 */
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { SessionTable, type Presence } from '../presence.js';
import { shared } from './redis.js';

/** now (ms) from the Redis clock, so nodes with skewed clocks still agree on who is alive. */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Is ARGV-user online on any live node? (expects `now`, KEYS[1] = nodes, ARGV[1] = node key prefix) */
const ONLINE_ELSEWHERE = `
local function online_on_live(user, except)
  local live = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
  for _, node in ipairs(live) do
    if node ~= except and redis.call('HEXISTS', ARGV[1] .. node, user) == 1 then return true end
  end
  return false
end`;

const SCRIPTS = {
  /**
   * KEYS: nodes, my hash, my version key. ARGV: node key prefix, my id, user, ttl ms, the change's
   * version. 1 when the user just came online. (Only the heartbeat marks the node alive.) A change
   * a rewrite of this node's sessions already holds (its version at or below the rewrite's) is
   * not counted again: it may reach Redis after that rewrite (a script reloaded after a restart).
   */
  add: `${NOW} ${ONLINE_ELSEWHERE}
if tonumber(ARGV[5]) <= tonumber(redis.call('GET', KEYS[3]) or '0') then return 0 end
local n = redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]) * 4)
if n > 1 then return 0 end
if online_on_live(ARGV[3], ARGV[2]) then return 0 end
return 1`,
  /** Same keys and arguments. 1 when that was the user's last session anywhere. */
  remove: `${NOW} ${ONLINE_ELSEWHERE}
if tonumber(ARGV[5]) <= tonumber(redis.call('GET', KEYS[3]) or '0') then
  if online_on_live(ARGV[3], nil) then return 0 end
  return 1
end
local n = redis.call('HINCRBY', KEYS[2], ARGV[3], -1)
if n > 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[3])
if n < 0 then return 0 end
if online_on_live(ARGV[3], ARGV[2]) then return 0 end
return 1`,
  /** KEYS: nodes. ARGV: node key prefix. Every user on a live node (unsorted, may repeat). */
  online: `${NOW}
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
  for _, u in ipairs(redis.call('HKEYS', ARGV[1] .. node)) do out[#out + 1] = u end
end
return out`,
  /** KEYS: nodes. ARGV: node key prefix, users... Those online. */
  among: `${NOW} ${ONLINE_ELSEWHERE}
local out = {}
for i = 2, #ARGV do
  if online_on_live(ARGV[i], nil) then out[#out + 1] = ARGV[i] end
end
return out`,
  /**
   * KEYS: nodes, my hash, my version key. ARGV: node key prefix, my id, ttl ms, rewrite (0/1),
   * the version of the sessions given, then user/count pairs. Refreshes this node's heartbeat; when the node had been given up for dead (its entry
   * gone, or Redis restarted empty), writes its sessions back and answers 1. With rewrite 1 it
   * writes them back anyway (a session add or removal failed while Redis was out of reach).
   */
  beat: `${NOW}
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
if (added == 1 and #ARGV > 5) or ARGV[4] == '1' then
  redis.call('DEL', KEYS[2])
  for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
  redis.call('SET', KEYS[3], ARGV[5])
end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 4) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[3]) * 4) end
return added`,
  /**
   * KEYS: nodes. ARGV: node key prefix. Removes every node whose heartbeat ran out; answers how
   * many, and the users who were on them and are on no live node now (each dead node is reaped by
   * one caller).
   */
  reap: `${NOW} ${ONLINE_ELSEWHERE}
local gone = {}
local reaped = 0
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)) do
  if redis.call('ZREM', KEYS[1], node) == 1 then
    reaped = reaped + 1
    local key = ARGV[1] .. node
    for _, u in ipairs(redis.call('HKEYS', key)) do gone[#gone + 1] = u end
    redis.call('DEL', key, key .. ':v')
  end
end
local out = {}
local seen = {}
for _, u in ipairs(gone) do
  if not seen[u] and not online_on_live(u, nil) then out[#out + 1] = u end
  seen[u] = true
end
return {reaped, out}`,
  /** KEYS: nodes, my hash. ARGV: my id. A clean stop. */
  leave: `redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('DEL', KEYS[2], KEYS[2] .. ':v') return 1`,
} as const;

export interface RedisPresenceOptions {
  prefix: string;
  /** A node silent this long is taken for dead (default 15 000 ms); it beats every ttl/3. */
  ttlMs?: number;
  nodeId?: string;
  /** Users who were only on a dead node: the server tells everyone they went offline. */
  onGone?: (users: string[]) => void;
  /**
   * Nodes that died were reaped (by this node; each by one node only). Messages they stored but
   * had not yet handed to the others are never delivered live: clients must catch up.
   */
  onReaped?: (nodes: number) => void;
  /** This node had been taken for dead and is back: its users are online again. */
  onBack?: (users: string[]) => void;
  /**
   * Users whose session came or went while Redis was out of reach, once this node's sessions are
   * written whole again: whether each is online anywhere now (nobody was told when it happened).
   */
  onSettled?: (changes: { user: string; online: boolean }[]) => void;
  onError?: (err: unknown) => void;
}

export const DEFAULT_PRESENCE_TTL_MS = 15_000;

export class RedisPresence implements Presence {
  readonly nodeId: string;
  private readonly table = new SessionTable();
  private readonly nodesKey: string;
  private readonly nodePrefix: string;
  private readonly myKey: string;
  private readonly ttlMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly shas = new Map<keyof typeof SCRIPTS, string>();
  private closed = false;
  /** A session change Redis did not take: the next heartbeat writes this node's sessions whole. */
  private rewrite = false;
  /** Whose session changes Redis did not take. */
  private readonly unsure = new Set<string>();
  /** Counts this node's session changes; a rewrite records the count its sessions include. */
  private version = 0;
  private readonly versionKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisPresenceOptions,
  ) {
    this.nodeId = options.nodeId ?? crypto.randomUUID();
    this.nodesKey = `${options.prefix}presence:nodes`;
    this.nodePrefix = `${options.prefix}presence:node:`;
    this.myKey = this.nodePrefix + this.nodeId;
    this.versionKey = `${this.myKey}:v`;
    this.ttlMs = options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS;
  }

  /** Loads the scripts and beats once (the node is alive from here on), then every ttl/3. */
  async start(): Promise<void> {
    if (this.timer || this.closed) return;
    for (const name of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
      this.shas.set(name, (await this.redis.script('LOAD', SCRIPTS[name])) as string);
    }
    await this.beat(true);
    this.timer = setInterval(() => void this.beat(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /**
   * Runs a script by its SHA, loading it the first time (or again after a Redis restart). Fails
   * at once with ClusterUnavailableError while Redis is out of reach.
   */
  private run(name: keyof typeof SCRIPTS, keys: string[], args: (string | number)[]): Promise<unknown> {
    return shared(this.redis, async () => {
      let sha = this.shas.get(name);
      if (!sha) {
        sha = (await this.redis.script('LOAD', SCRIPTS[name])) as string;
        this.shas.set(name, sha);
      }
      try {
        return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!/NOSCRIPT/.test(String((err as Error).message))) throw err;
        this.shas.delete(name);
        return this.redis.eval(SCRIPTS[name], keys.length, ...keys, ...args);
      }
    });
  }

  private async change(script: 'add' | 'remove', user: string): Promise<boolean> {
    const version = ++this.version;
    try {
      return (
        (await this.run(
          script,
          [this.nodesKey, this.myKey, this.versionKey],
          [this.nodePrefix, this.nodeId, user, this.ttlMs, version],
        )) === 1
      );
    } catch (err) {
      this.rewrite = true;
      this.unsure.add(user);
      throw err;
    }
  }

  async add(user: string, sessionId: string): Promise<boolean> {
    this.table.add(user, sessionId);
    return this.change('add', user);
  }

  async remove(user: string, sessionId: string): Promise<boolean> {
    // Not one of ours (never added, or removed already): nothing to count down.
    if (!this.table.contains(user, sessionId)) return false;
    this.table.remove(user, sessionId);
    return this.change('remove', user);
  }

  /** Users asked about in this turn of the event loop, answered together by one script call. */
  private asked: { users: Set<string>; answer: Promise<Set<string>> } | null = null;

  isOnline(user: string): boolean | Promise<boolean> {
    if (this.table.has(user)) return true;
    // Every message to a user on another node asks this: one `among` per turn, not one per message.
    if (!this.asked) {
      const users = new Set<string>();
      const answer = new Promise<Set<string>>((resolve, reject) => {
        setImmediate(() => {
          this.asked = null;
          this.onlineAmong([...users]).then(resolve, reject);
        });
      });
      this.asked = { users, answer };
    }
    this.asked.users.add(user);
    return this.asked.answer.then((online) => online.has(user));
  }

  async onlineAmong(users: readonly string[]): Promise<Set<string>> {
    if (users.length === 0) return new Set();
    const r = (await this.run('among', [this.nodesKey], [this.nodePrefix, ...new Set(users)])) as string[];
    return new Set(r);
  }

  async online(): Promise<string[]> {
    const r = (await this.run('online', [this.nodesKey], [this.nodePrefix])) as string[];
    return [...new Set(r)].sort();
  }

  local(): string[] {
    return this.table.users();
  }

  /** The heartbeat: stay alive, come back if given up for dead, and reap nodes that died. */
  async beat(rethrow = false): Promise<void> {
    if (this.closed) return;
    try {
      // Taken together with the snapshot, before any await: a change that fails meanwhile sets
      // them again for the next beat.
      const counts = [...this.table.counts()].flat();
      const version = this.version;
      const rewrite = this.rewrite;
      const unsure = [...this.unsure];
      this.rewrite = false;
      this.unsure.clear();
      const retryLater = (): void => {
        this.rewrite ||= rewrite;
        for (const user of unsure) this.unsure.add(user);
      };
      let back: unknown;
      let online: Set<string> | undefined;
      try {
        back = await this.run(
          'beat',
          [this.nodesKey, this.myKey, this.versionKey],
          [this.nodePrefix, this.nodeId, this.ttlMs, rewrite ? 1 : 0, version, ...counts],
        );
        if (unsure.length > 0) online = await this.onlineAmong(unsure);
      } catch (err) {
        retryLater();
        throw err;
      }
      if (back === 1 && counts.length > 0) this.options.onBack?.(this.table.users());
      if (online) this.options.onSettled?.(unsure.map((user) => ({ user, online: online.has(user) })));
      const [reaped, gone] = (await this.run('reap', [this.nodesKey], [this.nodePrefix])) as [number, string[]];
      if (gone.length > 0) this.options.onGone?.(gone.sort());
      if (reaped > 0) this.options.onReaped?.(reaped);
    } catch (err) {
      if (rethrow) throw err;
      this.options.onError?.(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.run('leave', [this.nodesKey, this.myKey], [this.nodeId]);
  }
}
