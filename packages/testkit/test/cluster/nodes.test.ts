/**
 * Cluster mode end to end: two or three real `tui-chat serve` processes on one PostgreSQL database
 * (made for this run, dropped after) and one Redis (a key prefix of this run, its keys deleted
 * after), with real ChatClients that know every node's address. Messages, broadcasts and whoelse
 * cross nodes; an inbox filled through one node is read through another; a node killed with
 * SIGKILL mid-stream moves its clients to the others with no acknowledged message lost.
 */
import net from 'node:net';
import { describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { conversationId } from '@tui-chat/protocol';
import { ChatClient, type ClientState } from '@tui-chat/client';
import { PostgresStore } from '@tui-chat/server';
import {
  freePort,
  killAllServers,
  loginClient,
  ServerProcess,
  shownTwice,
  waitFor,
  waitForAny,
  type StoredRow,
} from '../faults/fixtures.js';
import { clusterServices } from '@tui-chat/testkit';
import { texts } from '@tui-chat/testkit';

/** A killed node's users count as online this long (short, so the test sees ghosts go). */
const PRESENCE_TTL_MS = 1500;

const clients: ChatClient[] = [];

const services = clusterServices(async () => {
  for (const c of clients.splice(0)) c.close();
  await killAllServers();
});

interface Node {
  proc: ServerProcess;
  port: number;
  display: string;
}

async function startNodes(n: number): Promise<Node[]> {
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const args = ['--redis', services.redis.url, '--redis-prefix', services.redis.prefix, '--presence-ttl', String(PRESENCE_TTL_MS)];
  // Started together: they race for the migrations, which must be fine.
  const procs = await Promise.all(ports.map((port) => ServerProcess.start({ port, db: services.db.url, args })));
  return procs.map((proc, i) => ({ proc, port: ports[i]!, display: `127.0.0.1:${ports[i]}` }));
}

/** A client that knows these nodes, in this order (the first is where it logs in). */
function clusterClient(nodes: Node[]): ChatClient {
  const c = new ChatClient({
    url: nodes.map((n) => `http://127.0.0.1:${n.port}`).join(','),
    display: nodes.map((n) => n.display).join(','),
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 250, randomizationFactor: 0.5, timeout: 1500 },
    requestTimeoutMs: 2000,
  });
  clients.push(c);
  return c;
}

/**
 * A TCP load balancer of the simplest kind: each new connection goes to the next node in turn,
 * skipping one that refuses. No stickiness: websocket-only clients need none.
 */
async function roundRobin(initial: number[]): Promise<{ port: number; use(ports: number[]): void; close(): Promise<void> }> {
  let next = 0;
  let ports = initial;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const attempt = (left: number): void => {
      const port = ports[next++ % ports.length]!;
      const upstream = net.connect(port, '127.0.0.1');
      open.add(upstream);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream).pipe(client);
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      upstream.on('error', () => {
        upstream.destroy();
        open.delete(upstream);
        // A node that refuses is skipped; one that dies mid-connection ends the client's connection.
        if (!connected && left > 1) attempt(left - 1);
        else client.destroy();
      });
    };
    attempt(ports.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    use: (p) => {
      ports = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Submits a command and waits for a response line matching `pattern`. */
async function ask(c: ChatClient, line: string, pattern: RegExp): Promise<string> {
  const before = c.getState().responses.at(-1)?.id ?? 0;
  await c.submit(line);
  const s = await waitFor(c, (st) => st.responses.some((r) => r.id > before && pattern.test(r.text)), `${line} -> ${pattern}`);
  return s.responses.filter((r) => r.id > before && pattern.test(r.text)).at(-1)!.text;
}

/** Every stored message on the cluster's PostgreSQL, as the fault tests read them from SQLite. */
async function stored(): Promise<StoredRow[]> {
  const c = new pg.Client({ connectionString: services.db.url });
  await c.connect();
  try {
    return (
      await c.query<StoredRow>(
        'SELECT conversation, seq::int AS seq, sender, recipient, body, client_id FROM messages ORDER BY conversation, seq',
      )
    ).rows;
  } finally {
    await c.end();
  }
}

describe('a cluster of real tui-chat serve processes', () => {
  test('two nodes: whoelse, a message and a broadcast across them; kill -9 of node 1 moves its user to node 2', async () => {
    const started = Date.now();
    const [n1, n2] = await startNodes(2);
    const alice = await loginClient(clusterClient([n1!, n2!]), 'alice', true);
    const bob = await loginClient(clusterClient([n2!, n1!]), 'bob', true);
    // dave knows node 1 only: when it dies he cannot move, and must not stay "online" as a ghost.
    const dave = await loginClient(clusterClient([n1!]), 'dave', true);
    expect([alice.getState().server, bob.getState().server]).toEqual([n1!.display, n2!.display]);

    expect(await ask(alice, '/whoelse', /^online:/)).toBe('online: bob, dave');
    expect(await ask(bob, '/whoelse', /^online:/)).toBe('online: alice, dave');

    await alice.submit('/msg bob hello from node 1');
    await waitFor(bob, (s) => texts(s, 'alice').includes('hello from node 1'), 'bob gets the message');
    await bob.submit('/broadcast hello everyone from node 2');
    await waitFor(alice, (s) => texts(s, '(broadcasts)').includes('hello everyone from node 2'), 'alice gets the broadcast');
    await waitFor(dave, (s) => texts(s, '(broadcasts)').includes('hello everyone from node 2'), 'dave gets the broadcast');

    const exit = await n1!.proc.signal('SIGKILL');
    expect(exit?.signal).toBe('SIGKILL');
    await waitFor(alice, (s) => s.connection === 'connected' && s.server === n2!.display, 'alice moved to node 2');
    await bob.submit('/msg alice after the kill');
    await waitFor(alice, (s) => texts(s, 'bob').includes('after the kill'), 'alice gets a message on node 2');
    await alice.submit('/msg bob still here');
    await waitFor(bob, (s) => texts(s, 'alice').includes('still here'), 'bob hears from alice on node 2');
    // dave's node is gone: once its heartbeat runs out, everyone hears he left; whoelse agrees.
    await waitFor(bob, (s) => !s.online.includes('dave'), 'dave offline for bob');
    expect(await ask(alice, '/whoelse', /^online:/)).toBe('online: bob');
    // bob's broadcast showed inline in alice's open conversation with him.
    expect(texts(alice.getState(), 'bob')).toEqual(['hello from node 1', 'hello everyone from node 2', 'after the kill', 'still here']);
    expect(shownTwice(alice.getState())).toEqual([]);

    console.log(
      `cluster: two nodes, whoelse/message/broadcast across them, kill -9 and move: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 30_000);

  test("typing and away across nodes: bob on node 2 sees alice on node 1 typing, and carol's away, which outlives the kill -9 of her node", async () => {
    const [n1, n2] = await startNodes(2);
    const alice = await loginClient(clusterClient([n1!, n2!]), 'alice', true);
    const bob = await loginClient(clusterClient([n2!, n1!]), 'bob', true);
    const carol = await loginClient(clusterClient([n1!, n2!]), 'carol', true);
    await alice.open('bob');
    alice.draft('are you th');
    await waitFor(bob, (s) => s.typing.alice?.alice !== undefined, 'bob sees alice typing');
    await alice.submit('are you there?');
    await waitFor(bob, (s) => texts(s, 'alice').includes('are you there?') && s.typing.alice === undefined, 'the message, no indicator');

    await carol.submit('/away lunch');
    await waitFor(bob, (s) => s.away.carol === 'lunch', 'bob sees carol away');
    expect(await ask(bob, '/whoelse', /^online:/)).toBe('online: alice, carol (away: lunch)');
    // Her node dies: her client moves to node 2 and says it again, so she is still away there.
    await n1!.proc.signal('SIGKILL');
    await waitFor(carol, (s) => s.connection === 'connected' && s.server === n2!.display, 'carol moved to node 2');
    await waitFor(bob, (s) => s.online.includes('carol') && s.away.carol === 'lunch', 'carol away again for bob');
    expect(await ask(bob, '/whoelse', /^online:/)).toMatch(/carol \(away: lunch\)/);
  }, 40_000);

  test('behind a TCP load balancer: one address, any node; a node killed, the client comes back through the balancer', async () => {
    const [n1, n2] = await startNodes(2);
    const lb = await roundRobin([n1!.port, n2!.port]);
    try {
      const viaLb = (): ChatClient => clusterClient([{ proc: n1!.proc, port: lb.port, display: `127.0.0.1:${lb.port}` }]);
      // amy lands on node 1 and bo on node 2; from then on the balancer takes turns.
      lb.use([n1!.port]);
      const amy = await loginClient(viaLb(), 'amy', true);
      lb.use([n2!.port]);
      const bo = await loginClient(viaLb(), 'bo', true);
      lb.use([n1!.port, n2!.port]);
      expect(await ask(amy, '/whoelse', /^online:/)).toBe('online: bo');
      await amy.submit('/msg bo across the balancer');
      await waitFor(bo, (s) => texts(s, 'amy').includes('across the balancer'), 'bo gets it');
      await n1!.proc.signal('SIGKILL');
      // amy reconnects through the balancer, which skips the dead node.
      await waitFor(amy, (s) => s.connection === 'reconnecting', 'amy lost her node');
      await waitFor(amy, (s) => s.connection === 'connected', 'amy back through the balancer');
      await bo.submit('/msg amy after the kill');
      await waitFor(amy, (s) => texts(s, 'bo').includes('after the kill'), 'amy gets a message on node 2');
      expect(shownTwice(amy.getState())).toEqual([]);
    } finally {
      await lb.close();
    }
  }, 30_000);

  test('an inbox filled through one node is read through another', async () => {
    const [n1, n2] = await startNodes(2);
    const carol = await loginClient(clusterClient([n2!]), 'carol', true);
    await carol.logout();
    const ann = await loginClient(clusterClient([n1!]), 'ann', true);
    await ann.submit('/msg carol one');
    await ann.submit('/msg carol two');
    // Whatever its wording, the reply says carol will find it in her inbox.
    expect(await ask(ann, '/broadcast user carol message three', /^broadcast.*inbox/)).toMatch(/carol/);
    await waitFor(ann, (s) => (s.messages.carol ?? []).filter((m) => m.status === 'sent').length === 3, 'three sent');

    const back = await loginClient(clusterClient([n2!]), 'carol', false);
    expect(back.getState().conversations.find((v) => v.with === 'ann')?.unread).toBe(3);
    const inbox = await ask(back, '/inbox', /^inbox:/);
    expect(inbox).toMatch(/^inbox: 3 messages\nann \(3\):\n .* one\n .* two\n .* three$/);
    // Read on node 2 means read everywhere: a fresh login through node 1 finds nothing unread.
    const again = await loginClient(clusterClient([n1!]), 'carol', false);
    expect(again.getState().conversations.find((v) => v.with === 'ann')?.unread).toBe(0);
    expect(await ask(again, '/inbox', /inbox/)).toBe('your inbox is empty');
  }, 30_000);

  test('a message its node stored but never delivered (killed in between) reaches the recipient once the node is found dead', async () => {
    const [n1, n2] = await startNodes(2);
    const ann = await loginClient(clusterClient([n1!, n2!]), 'ann', true);
    const bob = await loginClient(clusterClient([n2!]), 'bob', true);
    await bob.open('(broadcasts)'); // reading something else: ann's messages count as unread
    await ann.submit('/msg bob first');
    await waitFor(bob, (s) => texts(s, 'ann').includes('first'), 'bob gets the first');
    // What node 1 leaves behind when killed between its commit and the delivery: stored, never handed on.
    const store = await PostgresStore.open(services.db.url);
    try {
      await store.appendMessages([
        { from: 'ann', to: 'bob', text: 'stored, then the node died', at: Date.now(), clientId: 'lost-1', kind: 'direct' },
      ]);
    } finally {
      await store.close();
    }
    expect(texts(bob.getState(), 'ann')).toEqual(['first']);
    // bob stays connected to node 2 and nothing else is sent: only node 2 finding node 1 dead (its
    // heartbeat runs out) and telling every client to catch up can bring the message.
    await n1!.proc.signal('SIGKILL');
    const s = await waitFor(
      bob,
      (st) => texts(st, 'ann').includes('stored, then the node died'),
      'bob catches up after node 1 is found dead',
      15_000,
    );
    expect(texts(s, 'ann')).toEqual(['first', 'stored, then the node died']);
    await waitFor(bob, (st) => st.conversations.find((v) => v.with === 'ann')?.unread === 2, 'both unread');
    expect(shownTwice(s)).toEqual([]);
  }, 30_000);

  test('three nodes, kill -9 of one mid-stream: its clients move on, no acknowledged message lost or doubled', async () => {
    const started = Date.now();
    const [a, b, c] = await startNodes(3);
    const USERS = ['ann', 'ben', 'cat', 'dan'];
    const OFFLINE = 'eve';
    const PER_SENDER = 40;
    const KILL_AFTER = 40;
    // ann and ben start on node a (the one killed), cat on b, dan on c.
    const orders = [
      [a!, b!, c!],
      [a!, c!, b!],
      [b!, c!, a!],
      [c!, a!, b!],
    ];
    const users: ChatClient[] = [];
    for (const [i, u] of USERS.entries()) users.push(await loginClient(clusterClient(orders[i]!), u, true));
    const eve = await loginClient(clusterClient([b!]), OFFLINE, true);
    await eve.logout();
    // Every pair talks once first, so every pair room exists across the nodes.
    for (const [i, u] of USERS.entries()) for (const o of USERS.slice(i + 1)) await users[i]!.submit(`/msg ${o} hello from ${u}`);
    for (const [i, u] of USERS.entries()) {
      await waitFor(users[i]!, (s) => USERS.every((o) => o === u || (s.messages[o] ?? []).length > 0), `${u} warm`);
    }

    const confirmed = new Map<string, { user: string; text: string; to: string }>();
    for (const [i, user] of USERS.entries()) {
      const note = (s: ClientState): void => {
        for (const [other, list] of Object.entries(s.messages)) {
          for (const m of list) {
            if (m.from === user && m.status === 'sent' && !confirmed.has(`${user}/${m.key}`))
              confirmed.set(`${user}/${m.key}`, { user, text: m.text, to: other });
          }
        }
      };
      note(users[i]!.getState());
      users[i]!.subscribe(note);
    }
    const pending = (s: ClientState): number =>
      Object.values(s.messages)
        .flat()
        .filter((m) => m.status === 'pending').length;
    const recipientOf = (i: number, k: number): string => (k % 4 === 3 ? OFFLINE : USERS[(i + 1 + (k % 3)) % USERS.length]!);
    let producing = USERS.length;
    const streams = USERS.map(async (user, i) => {
      const cl = users[i]!;
      for (let k = 0; k < PER_SENDER; k++) {
        if (pending(cl.getState()) >= 3) await waitFor(cl, (s) => s.connection === 'connected' && pending(s) < 3, `${user} back`, 20_000);
        await cl.submit(`/msg ${recipientOf(i, k)} ${user} ${k}`);
        // A load generator's pace, not a wait for anything.
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      producing--;
    });

    const base = confirmed.size;
    await waitForAny(users, () => confirmed.size >= base + KILL_AFTER, `${KILL_AFTER} acknowledgements`, 20_000);
    const midStream = producing > 0;
    const ackedBeforeKill = confirmed.size - base;
    expect((await a!.proc.signal('SIGKILL'))?.signal).toBe('SIGKILL');
    await Promise.all(streams);
    for (const [i, u] of USERS.entries()) {
      await waitFor(users[i]!, (s) => s.connection === 'connected' && pending(s) === 0, `${u} settled`, 20_000);
    }
    expect(users.map((u) => u.getState().server)).toEqual([b!.display, c!.display, b!.display, c!.display]);

    // Every client ends with every message of its conversations, from seq 1 on, once.
    const rows = await stored();
    const lastSeq = new Map<string, number>();
    for (const r of rows) lastSeq.set(r.conversation, Math.max(lastSeq.get(r.conversation) ?? 0, r.seq));
    for (const [i, u] of USERS.entries()) {
      await waitFor(
        users[i]!,
        (s) =>
          USERS.filter((o) => o !== u).every(
            (o) => (s.messages[o] ?? []).filter((m) => m.seq !== undefined).length === (lastSeq.get(conversationId(u, o)) ?? 0),
          ),
        `${u} caught up`,
        20_000,
      );
    }

    const streamRows = rows.filter((r) => !r.body.startsWith('hello from '));
    const acknowledged = [...confirmed.values()].filter((x) => !x.text.startsWith('hello from '));
    const storedKeys = new Set(streamRows.map((r) => `${r.sender}/${r.body}`));
    const lost = acknowledged.filter((x) => !storedKeys.has(`${x.user}/${x.text}`));
    const count = new Map<string, number>();
    for (const r of streamRows) count.set(`${r.sender}/${r.client_id}`, (count.get(`${r.sender}/${r.client_id}`) ?? 0) + 1);
    const duplicated = [...count.values()].filter((n) => n > 1).length;
    const shownDouble = users.flatMap((u) => shownTwice(u.getState()));
    const toEve = acknowledged.filter((x) => x.to === OFFLINE).length;
    const eveBack = await loginClient(clusterClient([c!]), OFFLINE, false);
    const eveUnread = eveBack.getState().conversations.reduce((n, v) => n + v.unread, 0);

    console.log(
      [
        `cluster kill -9: 3 nodes, ${USERS.length} clients x ${PER_SENDER} messages, node a killed (SIGKILL) mid-stream after ${ackedBeforeKill} acknowledgements, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  acknowledged ${acknowledged.length}, lost ${lost.length}, duplicated ${duplicated}, shown twice ${shownDouble.length}; ` +
          `stored ${streamRows.length} of ${USERS.length * PER_SENDER}; ${OFFLINE}'s unread ${eveUnread} of ${toEve} sent to her`,
      ].join('\n'),
    );

    expect(midStream).toBe(true);
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    expect(shownDouble).toEqual([]);
    expect(acknowledged).toHaveLength(USERS.length * PER_SENDER);
    expect(streamRows).toHaveLength(USERS.length * PER_SENDER);
    expect(eveUnread).toBe(toEve);
    // Seqs have no gaps in any conversation.
    for (const [conv, last] of lastSeq) {
      expect({ conv, seqs: rows.filter((r) => r.conversation === conv).map((r) => r.seq) }).toEqual({
        conv,
        seqs: Array.from({ length: last }, (_, k) => k + 1),
      });
    }
  }, 30_000);
});
