/**
 * End to end, issue 16's "a group message crosses cluster nodes": two `tui-chat serve` nodes on
 * one PostgreSQL database and one Redis (made for this run), the real `tui-chat connect` in real
 * terminals: alice on node 1, bob and carol on node 2. alice makes #team with them; a line from
 * each reaches the other two at once; carol quits, the others write, and carol's next login,
 * through node 1 this time, finds #team unread with the `── new ──` line above what she missed.
 */
import { afterAll, expect, test } from '@jest/globals';
import { createTestDatabase, testRedis, type TestDatabase, type TestRedis } from '@tui-chat/testkit';
import { stage, startServer, storySteps, type ChatServerProcess, type Term } from './terminal.js';

const PASSWORD = 'correct-horse-1';
const STEP_MS = 60_000;

let db: TestDatabase;
let redis: TestRedis;
let node2: ChatServerProcess;
const terms: Record<string, Term> = {};

const world = stage({
  start: async () => {
    db = await createTestDatabase();
    redis = await testRedis();
    const cluster = ['--db', db.url, '--redis', redis.url, '--redis-prefix', redis.prefix];
    node2 = await startServer(cluster);
    return startServer(cluster);
  },
});

afterAll(async () => {
  await node2?.stop();
  await redis?.cleanup();
  await db?.drop();
}, 60_000);

const step = storySteps(test);
const login = async (name: string, user: string, node: ChatServerProcess, register: boolean) => {
  const term = await world.tmux.loggedIn(name, node.address, { user, password: PASSWORD, register });
  await term.waitFor((s) => term.statusRow(s).startsWith(` ${user} @ ${node.address} · connected`), `${user} on ${node.address}`);
  terms[name] = term;
  return term;
};

step(
  'alice (node 1) makes #team with bob and carol (node 2): they hear of it across the nodes',
  async () => {
    const alice = await login('alice', 'alice', world.server, true);
    await Promise.all([login('bob', 'bob', node2, true), login('carol', 'carol', node2, true)]);
    await alice.typeLine('/group create team bob carol');
    await alice.waitFor(
      (s) => s.includes('made the group #team with bob, carol') && /─ #team · 3 members, 3 online ─/.test(s),
      '#team open for alice',
    );
    for (const who of ['bob', 'carol']) await terms[who]!.waitFor(/alice made the group #team/, `${who} told on node 2`);
  },
  STEP_MS,
);

step(
  'a line from each reaches the other two at once, whichever node they are on',
  async () => {
    const lines: [string, string][] = [
      ['alice', 'hello from node one'],
      ['bob', 'hi from node two'],
      ['carol', 'hey also from node two'],
    ];
    for (const [who, text] of lines) {
      const term = terms[who]!;
      await term.waitFor(/─ #team · 3 members, 3 online ─/, `#team open for ${who}`);
      await term.typeLine(text);
      await Promise.all(
        ['alice', 'bob', 'carol']
          .filter((o) => o !== who)
          .map((other) => terms[other]!.waitFor(new RegExp(`│\\d\\d:\\d\\d +${who} +${text} +│`), `${other} sees ${who}'s line`)),
      );
    }
  },
  STEP_MS,
);

step(
  'carol quits; alice and bob write; carol logs in through node 1 and finds #team unread, the new line above what she missed',
  async () => {
    const carol = terms.carol!;
    await carol.typeLine('/quit');
    await carol.waitFor(/EXIT=0/, 'carol quit');
    await terms.alice!.typeLine('while carol was out');
    await terms.bob!.waitFor(/alice +while carol was out/, 'bob sees it');
    await terms.bob!.typeLine('bob adds one more');
    await terms.alice!.waitFor(/bob +bob adds one more/, 'alice sees it');
    const back = await login('carol2', 'carol', world.server, false);
    await back.waitFor(/#team +2/, '#team with two unread');
    await back.typeLine('/open #team');
    const screen = await back.waitFor((s) => /── new ──/.test(s) && s.includes('bob adds one more'), 'the new line');
    const rows = screen.split('\n');
    const at = (text: string) => rows.findIndex((r) => r.includes(text));
    expect(at('hey also from node two')).toBeGreaterThan(-1);
    expect(at('hey also from node two')).toBeLessThan(at('── new ──'));
    expect(at('while carol was out')).toBeGreaterThan(at('── new ──'));
    expect(at('bob adds one more')).toBeGreaterThan(at('while carol was out'));
    // And what she writes now, from node 1, reaches bob on node 2.
    await back.typeLine('back from node one');
    await terms.bob!.waitFor(/carol +back from node one/, 'bob sees carol’s line from node 1');
  },
  STEP_MS,
);
