/**
 * End to end, issue 6's "Must show": two `tui-chat serve` nodes on one PostgreSQL database and one
 * Redis (made for this run), the real `tui-chat connect` for alice (who knows both nodes) and bob
 * (node 2) in real terminals. They see each other in /whoelse and exchange a message and a
 * broadcast across nodes; `kill -9` of node 1 moves alice to node 2, where bob's messages reach her.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createTestDatabase, testRedis, type TestDatabase, type TestRedis } from '@tui-chat/testkit';
import { requireTools, startServer, Tmux, type ChatServerProcess, type Term, PASSWORD } from './terminal.js';

let db: TestDatabase;
let redis: TestRedis;
let tmux: Tmux;
const nodes: ChatServerProcess[] = [];

beforeAll(async () => {
  requireTools();
  db = await createTestDatabase();
  redis = await testRedis();
  tmux = new Tmux();
}, 60_000);

afterAll(async () => {
  await tmux?.kill();
  for (const n of nodes) await n.stop();
  await redis?.cleanup();
  await db?.drop();
}, 60_000);

/** The Responses pane's rows, without borders. */
const responses = (screen: string): string[] => {
  const lines = screen.split('\n');
  const top = lines.findIndex((l) => l.startsWith('┌─ Responses'));
  const out: string[] = [];
  for (let i = top + 1; i < lines.length && !lines[i]!.startsWith('└'); i++) out.push(lines[i]!.replace(/^│|│$/g, '').trim());
  return out;
};
const said = (term: Term, pattern: RegExp, what: string) => term.waitFor((s) => responses(s).some((l) => pattern.test(l)), what);

test('two nodes: whoelse, a message and a broadcast across them; kill -9 of node 1 moves alice to node 2', async () => {
  const cluster = ['--db', db.url, '--redis', redis.url, '--redis-prefix', redis.prefix, '--presence-ttl', '1500'];
  const [n1, n2] = [await startServer(cluster), await startServer(cluster)];
  nodes.push(n1, n2);

  const alice = await tmux.connect('alice', `${n1.address},${n2.address}`, { user: 'alice', password: PASSWORD, register: true });
  await alice.waitFor((s) => alice.statusRow(s).startsWith(` alice @ ${n1.address} · connected`), 'alice on node 1');
  const bob = await tmux.connect('bob', n2.address, { user: 'bob', password: PASSWORD, register: true });
  await bob.waitFor((s) => bob.statusRow(s).startsWith(` bob @ ${n2.address} · connected`), 'bob on node 2');

  await alice.type('/whoelse');
  await alice.press('Enter');
  await said(alice, /^\d\d:\d\d online: bob$/, 'alice sees bob online');
  await bob.type('/whoelse');
  await bob.press('Enter');
  await said(bob, /^\d\d:\d\d online: alice$/, 'bob sees alice online');

  await alice.type('/msg bob hello from node 1');
  await alice.press('Enter');
  await said(alice, /message to bob sent$/, 'alice told it is sent');
  // Nothing was open on bob's side: alice's conversation opens with it, no key pressed.
  await bob.waitFor((s) => /│\d\d:\d\d +alice hello from node 1 +│/.test(s) && s.includes('─ alice ● ─'), 'bob has it on screen');
  await bob.type('/broadcast hi all from node 2');
  await bob.press('Enter');
  await said(bob, /broadcast to 1 user online$/, 'bob told who got it');
  // alice reads bob's conversation (her /msg opened it): the broadcast shows there.
  await alice.waitFor((s) => /│\d\d:\d\d +bob +\(broadcast\) hi all from node 2 +│/.test(s), 'alice has the broadcast');

  await n1.crash();
  const moved = `Connection restored on ${n2.address} (${n1.address} was lost).`;
  await said(alice, new RegExp(`${moved.replace(/[.()]/g, '\\$&')}$`), 'alice told where she is now');
  await alice.waitFor((s) => alice.statusRow(s).startsWith(` alice @ ${n2.address} · connected`), 'alice on node 2');

  await bob.type('/msg alice reached you on node 2?');
  await bob.press('Enter');
  await said(bob, /message to alice sent$/, 'bob told it is sent');
  const screen = await alice.waitFor((s) => /│\d\d:\d\d +bob +reached you on node 2\? +│/.test(s), 'alice reads it on node 2');
  expect(screen).toMatch(/│\d\d:\d\d +alice hello from node 1 +│/);
}, 120_000);
