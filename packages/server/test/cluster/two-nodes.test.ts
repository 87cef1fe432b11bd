/**
 * Two chat servers in this process on one PostgreSQL database (made for this run) and one Redis
 * (a key prefix of this run): everything a user can see across nodes — messages in a new pair
 * room, broadcasts, whoelse and presence updates, lockouts, rate limits — and presence without
 * ghosts when a node stops beating. Real socket.io clients; waits on events, never on luck.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ChatError } from '@tui-chat/protocol';
import { connectRedis, createChatServer, PostgresStore, type ChatServer, type ChatServerOptions } from '../../src/index.js';
import { RedisPresence } from '../../src/cluster/redis-presence.js';
import type { SharedWindow } from '../../src/cluster/shared-window.js';
import { ownEntriesSkipped, SKIP_OWN_ENTRIES } from '../../src/patches/redis-streams-own-entries.js';
import { STREAM_OFFSET } from '../../src/patches/redis-streams-offset.js';
import { patchStatuses } from '@tui-chat/protocol/fence';
import { STREAM_MAX_LEN } from '../../src/server.js';
import { userRoom } from '../../src/context.js';
import { hashingLoad } from '../../src/auth/passwords.js';
import { cid, expectError, next, request, TEST_COST, type TestSocket } from '../helpers.js';
import { clusterServices, rawLogin } from '@tui-chat/testkit';

const servers: ChatServer[] = [];
const sockets: TestSocket[] = [];
// Each test starts from empty presence and lockout state.
const services = clusterServices(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function node(options: ChatServerOptions = {}): Promise<{ server: ChatServer; port: number }> {
  const store = await PostgresStore.open(services.db.url);
  const backend = await connectRedis(services.redis.url, { prefix: services.redis.prefix });
  const server = createChatServer({ store, redis: backend, passwordCost: TEST_COST, ...options });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port };
}

const connect = (port: number, auth: Record<string, unknown>) => rawLogin(port, auth, sockets);
const register = (port: number, user: string) => connect(port, { user, password: 'secret-pw', register: true });
const refusal = (port: number, auth: Record<string, unknown>): Promise<ChatError> =>
  connect(port, auth).then(
    () => {
      throw new Error('handshake accepted');
    },
    (err: { data: ChatError }) => err.data,
  );

/** Resolves with the first `presence:changes` on `socket` that has `user` going `online`. */
function presenceOf(socket: TestSocket, user: string, online: boolean): Promise<void> {
  return new Promise((resolve) => {
    const on = (u: { changes: { user: string; online: boolean }[] }): void => {
      if (!u.changes.some((c) => c.user === user && c.online === online)) return;
      socket.off('presence:changes', on);
      resolve();
    };
    socket.on('presence:changes', on);
  });
}

/** Checks `condition` until it holds (state in Redis that no event announces), bounded. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const nodeKey = (server: ChatServer): string =>
  `${services.redis.prefix}presence:node:${(server.context.presence as RedisPresence).nodeId}`;

describe('two nodes, one PostgreSQL, one Redis', () => {
  test('whoelse, presence updates, a first message (new pair room) and broadcasts cross nodes', async () => {
    const n1 = await node();
    const n2 = await node();
    const alice = await register(n1.port, 'alice');
    const aliceSeesBob = presenceOf(alice.socket, 'bob', true);
    const bob = await register(n2.port, 'bob');
    await aliceSeesBob;
    expect(await request(alice.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: ['bob'], away: [] });
    expect(await request(bob.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: ['alice'], away: [] });

    // The first message creates the pair room; bob's socket on node 2 must be put in it.
    const toBob = next(bob.socket, 'message:new');
    const sent = await request(alice.socket, 'message:send', { to: 'bob', text: 'hi across', clientId: cid() });
    expect(sent.ok && sent.recipientOnline).toBe(true);
    expect((await toBob).text).toBe('hi across');
    // And the room holds from then on, both ways.
    const toAlice = next(alice.socket, 'message:new');
    await request(bob.socket, 'message:send', { to: 'alice', text: 'hi back', clientId: cid() });
    expect((await toAlice).text).toBe('hi back');
    const toBob2 = next(bob.socket, 'message:new');
    await request(alice.socket, 'message:send', { to: 'bob', text: 'second', clientId: cid() });
    expect((await toBob2).seq).toBe(3);

    // A broadcast to everyone online reaches the other node; its reply names who was online anywhere.
    const carol = await register(n2.port, 'carol');
    const bobGets = next(bob.socket, 'broadcast:new');
    const carolGets = next(carol.socket, 'broadcast:new');
    const b = await request(alice.socket, 'broadcast:send', { text: 'to all', clientId: cid() });
    expect(b.ok && b.recipients).toEqual(['bob', 'carol']);
    expect([(await bobGets).text, (await carolGets).text]).toEqual(['to all', 'to all']);

    // A list broadcast: online on any node is "delivered", otherwise inbox.
    const daveLeft = presenceOf(alice.socket, 'dave', false);
    (await register(n1.port, 'dave')).socket.disconnect();
    await daveLeft;
    const carolList = next(carol.socket, 'message:new');
    const l = await request(alice.socket, 'broadcast:list', { to: ['carol', 'dave'], text: 'list', clientId: cid() });
    expect(l.ok && [l.delivered, l.inbox]).toEqual([['carol'], ['dave']]);
    expect((await carolList).text).toBe('list');

    // Going offline on node 2 is heard on node 1.
    const aliceSeesBobGo = presenceOf(alice.socket, 'bob', false);
    bob.socket.disconnect();
    await aliceSeesBobGo;
    expect(await request(alice.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: ['carol'], away: [] });
    const conv = await request(alice.socket, 'conversations:list', {});
    expect(conv.ok && conv.conversations.find((c) => c.with === 'bob')?.online).toBe(false);
  });

  test('a group crosses nodes: made on one, its members on both hear of it, and each message reaches the others through the adapter', async () => {
    const a = await node();
    const b = await node();
    const alice = (await register(a.port, 'alice')).socket;
    const bob = (await register(b.port, 'bob')).socket;
    const carol = (await register(b.port, 'carol')).socket;
    const told = Promise.all([next(bob, 'group:update'), next(carol, 'group:update')]);
    const made = await request(alice, 'group:create', { name: 'nodes', members: ['bob', 'carol'] });
    expect(made.ok).toBe(true);
    await told;
    for (const [sender, others] of [
      [alice, [bob, carol]],
      [bob, [alice, carol]],
    ] as const) {
      const got = Promise.all(others.map((s) => next(s, 'message:new')));
      const reply = await request(sender, 'message:send', { to: '#nodes', text: 'across', clientId: cid() });
      if (!reply.ok) throw new Error(reply.error.message);
      for (const m of await got) expect(m).toEqual(reply.message);
    }
    // Invited on one node, in the room on the other; left on one node, out of the room on the other.
    const dan = (await register(b.port, 'dan')).socket;
    const joined = next(dan, 'group:update');
    expect((await request(alice, 'group:invite', { group: '#nodes', user: 'dan' })).ok).toBe(true);
    await joined;
    const danHears = next(dan, 'message:new');
    expect((await request(alice, 'message:send', { to: '#nodes', text: 'hi dan', clientId: cid() })).ok).toBe(true);
    expect((await danHears).text).toBe('hi dan');
    const bobLeft = next(bob, 'group:update');
    expect((await request(bob, 'group:leave', { group: '#nodes' })).ok).toBe(true);
    await bobLeft;
    let bobGot = false;
    bob.on('message:new', () => (bobGot = true));
    const danGets = next(dan, 'message:new');
    expect((await request(alice, 'message:send', { to: '#nodes', text: 'after bob', clientId: cid() })).ok).toBe(true);
    await danGets;
    expect(bobGot).toBe(false);
  });

  test('a block made on one node holds on the other at once, and so does the unblock', async () => {
    const n1 = await node();
    const n2 = await node();
    const alice = await register(n1.port, 'alice');
    const bob = await register(n2.port, 'bob');
    // Node 2 learns (and keeps) alice's block list while checking bob's first message.
    const first = await request(bob.socket, 'message:send', { to: 'alice', text: 'hello', clientId: cid() });
    expect(first.ok).toBe(true);

    const heard = new Promise<string>((resolve) => n2.server.io.on('blocks:changed', resolve));
    expect(await request(alice.socket, 'block:add', { user: 'bob' })).toEqual({ ok: true, blocked: ['bob'], changed: true });
    expect(await heard).toBe('alice');
    expectError(await request(bob.socket, 'message:send', { to: 'alice', text: 'still there?', clientId: cid() }), 'blocked');

    const heardAgain = new Promise<string>((resolve) => n2.server.io.on('blocks:changed', resolve));
    expect(await request(alice.socket, 'block:remove', { user: 'bob' })).toEqual({ ok: true, blocked: [], changed: true });
    await heardAgain;
    const toAlice = next(alice.socket, 'message:new');
    expect((await request(bob.socket, 'message:send', { to: 'alice', text: 'friends again', clientId: cid() })).ok).toBe(true);
    expect((await toAlice).text).toBe('friends again');
  });

  test('a user with sessions on both nodes stays online until the last one ends', async () => {
    const n1 = await node();
    const n2 = await node();
    const watcher = await register(n1.port, 'watcher');
    const a1 = await register(n1.port, 'amy');
    const a2 = await connect(n2.port, { user: 'amy', password: 'secret-pw' });
    let offline = false;
    watcher.socket.on('presence:changes', (u) => {
      if (u.changes.some((c) => c.user === 'amy' && !c.online)) offline = true;
    });
    a1.socket.disconnect();
    // Node 1 has forgotten amy's session there; she is still online through node 2.
    await until(async () => (await services.redis.client.hget(nodeKey(n1.server), 'amy')) === null, "node 1 to drop amy's session");
    expect(await request(watcher.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: ['amy'], away: [] });
    expect(offline).toBe(false);
    const gone = presenceOf(watcher.socket, 'amy', false);
    a2.socket.disconnect();
    await gone;
  });

  test('the session token from one node logs in on the other', async () => {
    const n1 = await node();
    const n2 = await node();
    const first = await register(n1.port, 'tom');
    first.socket.disconnect();
    const again = await connect(n2.port, { user: 'tom', token: first.session.token });
    expect(again.session.user).toBe('tom');
  });

  test('a lockout started on one node holds on the other', async () => {
    const n1 = await node({ lockoutAttempts: 2, lockoutSeconds: 60 });
    const n2 = await node({ lockoutAttempts: 2, lockoutSeconds: 60 });
    (await register(n1.port, 'kim')).socket.disconnect();
    expect((await refusal(n1.port, { user: 'kim', password: 'wrong-1' })).code).toBe('bad_credentials');
    expect((await refusal(n2.port, { user: 'kim', password: 'wrong-2' })).code).toBe('locked_out');
    const locked = await refusal(n1.port, { user: 'kim', password: 'secret-pw' });
    expect(locked.code).toBe('locked_out');
    expect(locked.retryAfter).toBeGreaterThan(55);
  });

  test('eleven wrong guesses at once over two nodes, then the right password: three are hashed in all, the rest are refused as locked', async () => {
    const slower = { memoryKiB: 32 * 1024, passes: 4, parallelism: 1 };
    const n1 = await node({ passwordCost: slower });
    const n2 = await node({ passwordCost: slower });
    (await register(n1.port, 'lee')).socket.disconnect();
    const before = hashingLoad().started;
    const outcomes = await Promise.all([
      ...Array.from({ length: 11 }, (_, i) => refusal(i % 2 === 0 ? n1.port : n2.port, { user: 'lee', password: `guess-${i}` })),
      refusal(n2.port, { user: 'lee', password: 'secret-pw' }),
    ]);
    // Both nodes run in this process: their hashes are counted together.
    expect(hashingLoad().started - before).toBe(3);
    expect(outcomes.at(-1)!.code).toBe('locked_out');
    expect(outcomes.filter((o) => o.code === 'locked_out').length).toBeGreaterThanOrEqual(9);
    const locked = await refusal(n1.port, { user: 'lee', password: 'secret-pw' });
    expect(locked).toMatchObject({
      code: 'locked_out',
      message: expect.stringMatching(/^Too many wrong passwords for lee; try again in \d+ s\.$/),
    });
  });

  test("a user's message budget is shared by every node", async () => {
    const limits = { messagesPerWindow: 4, windowSeconds: 60 };
    const n1 = await node({ limits });
    const n2 = await node({ limits });
    await register(n1.port, 'rex');
    const r1 = await connect(n1.port, { user: 'rex', password: 'secret-pw' });
    const r2 = await connect(n2.port, { user: 'rex', password: 'secret-pw' });
    await register(n2.port, 'sue');
    for (const s of [r1, r2, r1, r2])
      expect((await request(s.socket, 'message:send', { to: 'sue', text: 'x', clientId: cid() })).ok).toBe(true);
    // Each node counts by itself and syncs with Redis every 100 ms (cluster/shared-window.ts): once
    // both have added their counts and then read the other's, the budget is spent on both.
    const windows = [n1, n2].map((n) => n.server.context.limits.messages as SharedWindow);
    for (let i = 0; i < 2; i++) await Promise.all(windows.map((w) => w.synced()));
    expectError(await request(r2.socket, 'message:send', { to: 'sue', text: 'x', clientId: cid() }), 'rate_limited');
    expectError(await request(r1.socket, 'broadcast:send', { text: 'x', clientId: cid() }), 'rate_limited');
  });

  test('a node that stops beating (killed) leaves no ghost: its users drop out and everyone hears they left', async () => {
    const n1 = await node({ presenceTtlMs: 600 });
    const alice = await register(n1.port, 'alice');
    // The "dead" node: a presence that registered a session, then stopped without a word.
    const dead = new RedisPresence(services.redis.client, { prefix: services.redis.prefix, ttlMs: 600 });
    await dead.start();
    await n1.server.store.createUser('ghost', 'x', Date.now());
    expect(await dead.add('ghost', 'sid-1')).toBe(true);
    expect(await request(alice.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: ['ghost'], away: [] });
    const gone = presenceOf(alice.socket, 'ghost', false);
    clearInterval((dead as unknown as { timer: NodeJS.Timeout }).timer);
    await gone;
    expect(await request(alice.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: [], away: [] });
    // Its hash was removed by the node that noticed; last seen was recorded for wholast.
    expect(await services.redis.client.exists(`${services.redis.prefix}presence:node:${dead.nodeId}`)).toBe(0);
    const last = await request(alice.socket, 'presence:wholast', { minutes: 5 });
    expect(last.ok && last.users).toEqual(['ghost']);
  });

  test('typing crosses nodes to every session of the other party, and a block made on the other node stops it', async () => {
    const n1 = await node();
    const n2 = await node();
    const alice = await register(n1.port, 'alice');
    const bob = await register(n2.port, 'bob');
    const bob1 = await connect(n1.port, { user: 'bob', password: 'secret-pw' });
    const onN2 = next(bob.socket, 'typing:update');
    const onN1 = next(bob1.socket, 'typing:update');
    expect(await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true })).toEqual({ ok: true });
    expect(await onN2).toEqual({ conversation: 'alice:bob', user: 'alice', active: true });
    expect(await onN1).toEqual({ conversation: 'alice:bob', user: 'alice', active: true });
    // Bob blocks alice on node 2; node 1 hears of it and relays her no more.
    const heard = new Promise<string>((resolve) => n1.server.io.on('blocks:changed', resolve));
    expect((await request(bob.socket, 'block:add', { user: 'alice' })).ok).toBe(true);
    await heard;
    const seen: string[] = [];
    bob.socket.on('typing:update', (u) => seen.push(u.user));
    expect(await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true })).toEqual({ ok: true });
    // Carol's notice on node 1 comes after anything alice's could have sent: only hers arrives.
    const carol = await register(n1.port, 'carol');
    const carolsNotice = next(bob.socket, 'typing:update');
    await request(carol.socket, 'typing:send', { conversation: 'bob:carol', active: true });
    await carolsNotice;
    expect(seen).toEqual(['carol']);
  });

  test('away set on one node is told to and read on the other (whoelse, users:list), kept in Redis, and ends with the last session on any node', async () => {
    const n1 = await node();
    const n2 = await node();
    const carol = await register(n1.port, 'carol');
    const carol2 = await connect(n2.port, { user: 'carol', password: 'secret-pw' });
    const bob = await register(n2.port, 'bob');
    const told = new Promise<void>((resolve) => {
      bob.socket.on('presence:changes', (u) => {
        if (u.changes.some((c) => c.user === 'carol' && c.away === 'lunch')) resolve();
      });
    });
    expect(await request(carol.socket, 'presence:away', { away: true, text: 'lunch' })).toEqual({ ok: true, away: 'lunch' });
    await told;
    expect(await services.redis.client.hget(`${services.redis.prefix}away`, 'carol')).toBe('lunch');
    expect(await request(bob.socket, 'presence:whoelse', {})).toEqual({
      ok: true,
      users: ['carol'],
      away: [{ user: 'carol', text: 'lunch' }],
    });
    const list = await request(bob.socket, 'users:list', { prefix: 'c' });
    expect(list.ok && list.users).toEqual([{ name: 'carol', online: true, away: 'lunch' }]);
    // Her session on node 1 ends: node 2's keeps her away.
    carol.socket.disconnect();
    await until(async () => (await services.redis.client.hget(nodeKey(n1.server), 'carol')) === null, "node 1 to drop carol's session");
    expect(await services.redis.client.hget(`${services.redis.prefix}away`, 'carol')).toBe('lunch');
    const gone = presenceOf(bob.socket, 'carol', false);
    carol2.socket.disconnect();
    await gone;
    await until(async () => (await services.redis.client.hget(`${services.redis.prefix}away`, 'carol')) === null, 'away to end');
  });

  test('the away of users on a node that died ends with them', async () => {
    const n1 = await node({ presenceTtlMs: 600 });
    const alice = await register(n1.port, 'alice');
    const dead = new RedisPresence(services.redis.client, { prefix: services.redis.prefix, ttlMs: 600 });
    await dead.start();
    await n1.server.store.createUser('ghost', 'x', Date.now());
    await dead.add('ghost', 'sid-1');
    await services.redis.client.hset(`${services.redis.prefix}away`, 'ghost', 'lunch');
    const who = await request(alice.socket, 'presence:whoelse', {});
    expect(who.ok && who.away).toEqual([{ user: 'ghost', text: 'lunch' }]);
    const gone = presenceOf(alice.socket, 'ghost', false);
    clearInterval((dead as unknown as { timer: NodeJS.Timeout }).timer);
    await gone;
    await until(async () => (await services.redis.client.hget(`${services.redis.prefix}away`, 'ghost')) === null, "ghost's away to end");
  });

  test('a session change that reaches Redis after a rewrite already holding it is not counted twice', async () => {
    const p = new RedisPresence(services.redis.client, { prefix: services.redis.prefix, ttlMs: 60_000 });
    await p.start();
    try {
      const inside = p as unknown as {
        table: { add(user: string, sid: string): void };
        version: number;
        rewrite: boolean;
        run(name: string, keys: string[], args: (string | number)[]): Promise<unknown>;
      };
      const hash = `${services.redis.prefix}presence:node:${p.nodeId}`;
      expect(await p.add('xavier', 'sid-1')).toBe(true);
      // A second session whose add is held up (after a Redis restart its script is reloaded
      // first) while a heartbeat rewrites this node's sessions, this one included.
      inside.table.add('xavier', 'sid-2');
      const late = ++inside.version;
      inside.rewrite = true;
      await p.beat(true);
      expect(await services.redis.client.hget(hash, 'xavier')).toBe('2');
      await inside.run(
        'add',
        [`${services.redis.prefix}presence:nodes`, hash, `${hash}:v`],
        [`${services.redis.prefix}presence:node:`, p.nodeId, 'xavier', 60_000, late],
      );
      expect(await services.redis.client.hget(hash, 'xavier')).toBe('2');
      // Both sessions end: xavier is offline, not a ghost with one session left.
      expect(await p.remove('xavier', 'sid-1')).toBe(false);
      expect(await p.remove('xavier', 'sid-2')).toBe(true);
      expect(await p.online()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  test('isOnline asked for several users in one turn: one script call, each answered right, a failure told to each', async () => {
    const here = new RedisPresence(services.redis.client, { prefix: services.redis.prefix, ttlMs: 60_000 });
    const there = new RedisPresence(services.redis.client, { prefix: services.redis.prefix, ttlMs: 60_000 });
    await here.start();
    await there.start();
    try {
      await here.add('hana', 'sid-1');
      await there.add('theo', 'sid-2');
      await there.add('tara', 'sid-3');
      const inside = here as unknown as { run(name: string, keys: string[], args: (string | number)[]): Promise<unknown> };
      const run = inside.run.bind(here);
      const calls: string[] = [];
      inside.run = (name, keys, args) => {
        calls.push(name);
        return run(name, keys, args);
      };
      const asked = ['theo', 'hana', 'nobody', 'tara', 'theo'];
      expect(await Promise.all(asked.map((u) => here.isOnline(u)))).toEqual([true, true, false, true, true]);
      // hana is on this node (answered from memory); the others went to Redis together.
      expect(calls).toEqual(['among']);
      // The next turn asks again: tara went offline meanwhile.
      await there.remove('tara', 'sid-3');
      expect(await here.isOnline('tara')).toBe(false);
      expect(calls).toEqual(['among', 'among']);
      // Redis failing the look-up fails every caller of that turn, none is left waiting.
      inside.run = () => Promise.reject(new Error('Redis said no'));
      const failed = await Promise.allSettled([here.isOnline('theo'), here.isOnline('nobody')]);
      expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
      inside.run = run;
    } finally {
      await here.close();
      await there.close();
    }
  });

  test("a burst far beyond the stream adapter's default length reaches the other node whole", async () => {
    // A node that cannot read for a moment (here: its event loop is the sender's) must not lose
    // what a peer published meanwhile; Redis trims the stream to maxLen whether it was read or not.
    const a = await node();
    const b = await node();
    const bob = (await register(b.port, 'bob')).socket;
    const burst = 30_000; // three times the adapter's default maxLen, under ours
    expect(burst).toBeLessThan(STREAM_MAX_LEN);
    let got = 0;
    const all = new Promise<void>((resolve) => {
      (bob as unknown as { on(e: string, f: () => void): void }).on('test:burst', () => {
        if (++got === burst) resolve();
      });
    });
    const to = (a.server.io as unknown as { to(r: string): { emit(e: string, n: number): void } }).to(userRoom('bob'));
    for (let i = 0; i < burst; i++) to.emit('test:burst', i);
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      let seen = -1;
      // Fails as soon as delivery stops short, instead of at the test's timeout.
      timer = setInterval(() => {
        if (got === seen) reject(new Error(`${got} of ${burst} arrived, then nothing for 2 s`));
        seen = got;
      }, 2_000);
    });
    try {
      await Promise.race([all, stalled]);
    } finally {
      clearInterval(timer);
    }
    expect(got).toBe(burst);
  }, 60_000);

  test("a node leaves its own entries of the adapter's stream undecoded and decodes every other node's (patch)", async () => {
    const a = await node();
    const adapter = a.server.io.of('/').adapter as unknown as {
      uid: string;
      onRawMessage(raw: Record<string, string>, offset: string): void;
      constructor: { decode(raw: Record<string, string>): unknown };
    };
    expect(ownEntriesSkipped(adapter)).toBe(true);
    expect(patchStatuses().find((p) => p.name === SKIP_OWN_ENTRIES)).toMatchObject({ active: true, installed: '0.3.1' });
    const Adapter = adapter.constructor;
    const decode = Adapter.decode;
    const decoded: string[] = [];
    Adapter.decode = (raw) => {
      decoded.push(raw.uid!);
      return decode.call(Adapter, raw);
    };
    try {
      // A broadcast entry (type 3) to a room nobody is in, as the stream would hold it.
      const data = JSON.stringify({
        packet: { type: 2, data: ['test:entry'], nsp: '/' },
        opts: { rooms: [userRoom('nobody')], except: [] },
      });
      adapter.onRawMessage({ uid: adapter.uid, nsp: '/', type: '3', data }, '1-0');
      adapter.onRawMessage({ uid: 'another-node', nsp: '/', type: '3', data }, '1-1');
    } finally {
      Adapter.decode = decode;
    }
    expect(decoded).toEqual(['another-node']);
  });

  test('a node that has read nothing of the stream yet misses no entry added while it was too busy to read (patch)', async () => {
    // Counts the XREADs made (each is written to Redis at once), to know when the node's reader waits in one.
    const proto = Redis.prototype as unknown as { xread: (...args: unknown[]) => Promise<unknown> };
    const own = Object.prototype.hasOwnProperty.call(proto, 'xread');
    const xread = proto.xread;
    let reads = 0;
    proto.xread = function (this: unknown, ...args: unknown[]) {
      reads++;
      return xread.apply(this, args);
    };
    let b: { server: ChatServer };
    try {
      b = await node();
      await until(async () => reads > 0, "the node's first read of the stream");
    } finally {
      if (own) proto.xread = xread;
      else delete (proto as { xread?: unknown }).xread;
    }
    const adapter = b.server.io.of('/').adapter as unknown as { onRawMessage(raw: Record<string, string>, offset: string): void };
    const seen: string[] = [];
    const onRaw = adapter.onRawMessage.bind(adapter);
    adapter.onRawMessage = (raw, offset) => {
      seen.push(raw.uid!);
      onRaw(raw, offset);
    };
    // Busier than one blocking read lasts (1 s): that read ends empty in Redis meanwhile, then
    // another node adds an entry before this one can read again.
    const busyUntil = Date.now() + 1_300;
    while (Date.now() < busyUntil) {
      // this node's event loop cannot run
    }
    const data = JSON.stringify({ packet: { type: 2, data: ['test:late'], nsp: '/' }, opts: { rooms: [userRoom('nobody')], except: [] } });
    const stream = `${services.redis.prefix}socket.io`;
    execFileSync('redis-cli', [
      '-u',
      services.redis.url,
      'XADD',
      stream,
      '*',
      'uid',
      'another-node',
      'nsp',
      '/',
      'type',
      '3',
      'data',
      data,
    ]);
    await until(async () => seen.includes('another-node'), 'the entry added meanwhile to be read', 5_000);
    expect(patchStatuses().find((p) => p.name === STREAM_OFFSET)).toMatchObject({ active: true });
  });

  test('a clean stop removes the node from Redis at once', async () => {
    const n1 = await node();
    const n2 = await node();
    const a = await register(n1.port, 'ann');
    const ben = await register(n2.port, 'ben');
    const notices: string[] = [];
    a.socket.on('notice', (n) => notices.push(n.code));
    const benTold = next(ben.socket, 'notice');
    const benGone = presenceOf(a.socket, 'ben', false);
    await n2.server.close();
    servers.splice(servers.indexOf(n2.server), 1);
    expect((await benTold).code).toBe('server_shutdown');
    await benGone;
    // The shutdown notice is for the stopping node's clients only (it went out before ben's goodbye).
    expect(notices).toEqual([]);
    expect(await request(a.socket, 'presence:whoelse', {})).toEqual({ ok: true, users: [], away: [] });
    const nodes = await services.redis.client.zrange(`${services.redis.prefix}presence:nodes`, 0, -1);
    expect(nodes).toHaveLength(1);
  });
});
