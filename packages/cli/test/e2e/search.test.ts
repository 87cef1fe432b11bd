/**
 * End to end: search in real terminals (tmux, 120x36 and 80x24). alice makes #team; while she is
 * away bob says the word, then the group says 558 more (sent by headless members, a hundred each:
 * no one types that fast). Back, `/search pancake` finds it, the word highlighted; Enter shows it
 * in place, centred and marked, with the messages around it; scrolling down loads the newer ones
 * below it, and End goes to the newest. A search with nothing found and a refused one say so.
 */
import { expect, test } from '@jest/globals';
import { headless, inverseColumns, register, saveScreen, stage, storySteps, WAIT_MS, type HeadlessSocket, type Term } from './terminal.js';

const PASSWORD = 'correct-horse-1';
const STEP_MS = 90_000;
const MEMBERS = ['bob', 'carol', 'dan', 'erin', 'frank', 'gina'];
/** Each member sends at most this many (the server's rate: 100 per 10 s each): bob the word and 98 more, the others 100 each. */
const EACH = 100;
/** dan's lines before the word, so that it has room above it to be centred. */
const EARLIER = 40;
/** All the group says: dan's earlier lines, bob's 2, carol's reply, the chatter, the newest line. */
const TOTAL = MEMBERS.length * EACH;

/** Client ids used so far: each message has its own (a repeated one is the same message, stored once). */
let sent = 0;

/** Sends `texts` to #team on one member's socket, all at once; resolves once each is stored. */
async function say(socket: HeadlessSocket, who: string, texts: string[]): Promise<void> {
  const acks = texts.map((text) =>
    socket.timeout(WAIT_MS).emitWithAck('message:send', { to: '#team', text, clientId: `${who}-e2e-${String(++sent).padStart(5, '0')}` }),
  );
  for (const ack of (await Promise.all(acks)) as { ok: boolean }[]) expect(ack.ok).toBe(true);
}

describe.each([
  [120, 36],
  [80, 24],
])('at %ix%i', (columns, rows) => {
  let alice: Term;
  /** #team's unread count when alice is back (nothing she does not see may lower it). */
  let unread = '';
  const sockets: HeadlessSocket[] = [];

  const world = stage({
    ready: async ({ server }) => {
      for (const who of MEMBERS) await register(server.port, who, PASSWORD);
    },
    cleanup: () => {
      for (const s of sockets) s.disconnect();
    },
  });

  const step = storySteps(test);
  /** Types a /search and presses Enter (the list then covers the input line: typeLine cannot watch it empty). */
  const search = async (line: string) => {
    await alice.type(line);
    await alice.waitFor((s) => alice.inputText(s).endsWith(line), `the input line to show ${line}`);
    await alice.press('Enter');
  };
  const login = async (register: boolean, name: string) =>
    world.tmux.loggedIn(name, world.server.address, { user: 'alice', password: PASSWORD, register, columns, rows });

  step(
    'alice makes #team with six others and leaves; dan says 40 lines, bob the word, then the group 558 more',
    async () => {
      alice = await login(true, 'alice');
      await alice.typeLine(`/group create team ${MEMBERS.join(' ')}`);
      await alice.waitFor(/made the group #team/, '#team made');
      await alice.typeLine('/quit');
      await alice.waitFor(/EXIT=0/, 'alice quit');
      for (const who of MEMBERS) sockets.push(await headless(world.server.port, { user: who, password: PASSWORD }));
      await say(
        sockets[2]!,
        'dan',
        Array.from({ length: EARLIER }, (_, k) => `earlier ${k + 1}`),
      );
      await say(sockets[0]!, 'bob', ['before the word', 'the secret word is pancake, tell nobody']);
      await say(sockets[1]!, 'carol', ['after the word']);
      const chatter = (who: string, n: number) => Array.from({ length: n }, (_, k) => `${who} chatter ${k + 1}`);
      const budget: Record<string, number> = { bob: EACH - 3, carol: EACH - 1, dan: EACH - EARLIER };
      await Promise.all(MEMBERS.map((who, i) => say(sockets[i]!, who, chatter(who, budget[who] ?? EACH))));
      await say(sockets[0]!, 'bob', ['the newest line']);
    },
    STEP_MS,
  );

  step(
    'back, /search pancake finds it 558 messages back: one row, the word highlighted',
    async () => {
      alice = await login(false, 'alice2');
      const listed = await alice.waitFor(new RegExp(`#team +${TOTAL}\\b`), `all ${TOTAL} unread in #team`);
      unread = /#team +(\d+)/.exec(listed)![1]!;
      await search('/search pancake');
      const screen = await alice.waitFor(/1 match for pancake/, 'the results');
      const lines = screen.split('\n');
      const row = lines.findIndex((l) => l.includes('the secret word is pancake'));
      expect(lines[row]).toMatch(/▸ +\d\d:\d\d +#team +bob +the secret word is pancake, tell nobody/);
      expect(screen).toContain('Enter: show it in place · Esc: close');
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
      // The word itself is set apart: bold (SGR 1) right before it on that row.
      const styled = (await alice.styledScreen()).split('\n')[row]!;
      expect(styled).toMatch(/\x1b\[[0-9;]*1[0-9;]*m(?:\x1b\[[0-9;]*m)*pancake/);
      saveScreen(`search-${columns}x${rows}.txt`, screen);
    },
    STEP_MS,
  );

  step(
    'Enter shows it in place: #team opens at it, centred and marked, with the lines around it; a key takes the mark away',
    async () => {
      await alice.press('Enter');
      const screen = await alice.waitFor(
        (s) => /[─═] #team [─═]/.test(s) && s.includes('the secret word is pancake') && !s.includes('match for pancake'),
        '#team at the hit',
      );
      const lines = screen.split('\n');
      const at = lines.findIndex((l) => l.includes('the secret word is pancake'));
      expect(lines.findIndex((l) => l.includes('before the word'))).toBe(at - 1);
      expect(lines.findIndex((l) => l.includes('after the word'))).toBe(at + 1);
      // In the middle of the messages pane (rows 1 .. the one above its bottom border).
      const bottom = lines.findIndex((l) => l.includes('╝'));
      expect(Math.abs(at - bottom / 2)).toBeLessThanOrEqual(2);
      expect(screen).toContain('earlier 40');
      expect(screen).not.toContain('the newest line');
      // Marked in reverse video.
      const styled = (await alice.styledScreen()).split('\n')[at]!;
      expect(inverseColumns(styled).length).toBeGreaterThan(10);
      saveScreen(`search-hit-${columns}x${rows}.txt`, screen);
      // Nothing was marked read: #team still counts its unread messages.
      expect(screen).toMatch(new RegExp(`#team +${unread}\\b`));
      await alice.press('Down');
      await alice.waitForStyled(
        (s) => inverseColumns(s.split('\n').find((l) => l.includes('the secret word')) ?? '').length === 0,
        'the mark gone after a key',
      );
    },
    STEP_MS,
  );

  step(
    'scrolling down loads the newer messages below it, a page at a time; End goes to the newest',
    async () => {
      // The hit's context ends 25 messages after it (bob's 5th line or so): PgDn past that brings the newer pages.
      await alice.press('PageDown');
      await alice.waitFor(/newer messages|chatter (?:[6-9]|\d\d)\b/, 'the end of the context, or past it');
      await alice.press('PageDown', 'PageDown', 'PageDown', 'PageDown', 'PageDown', 'PageDown');
      const further = await alice.waitFor((s) => !s.includes('pancake') && /chatter (?:1[5-9]|[2-9]\d)\b/.test(s), 'well past the context');
      saveScreen(`search-scrolled-${columns}x${rows}.txt`, further);
      await alice.press('End');
      const newest = await alice.waitFor(/the newest line/, 'the newest');
      expect(newest).not.toMatch(/newer messages/);
    },
    STEP_MS,
  );

  step(
    'many matches: a page of 20, "more: scroll down"; End loads the next pages as the selection nears the end',
    async () => {
      await alice.type('/search in:#t');
      await alice.waitFor((s) => alice.inputText(s) === '/search in:#t', 'typed');
      await alice.press('Tab');
      await alice.waitFor((s) => alice.inputText(s) === '/search in:#team', 'in: completed');
      await alice.type(' chatter');
      await alice.press('Enter');
      const first = await alice.waitFor(/20 matches for chatter in #team · more: scroll down/, 'the first page');
      const lines = first.split('\n');
      // Newest first: the newest chatter at the top, each row one line, the word set apart.
      expect(lines[3]).toMatch(/▸ \d\d:\d\d +#team +\w+ +\w+ chatter \d+/);
      saveScreen(`search-many-${columns}x${rows}.txt`, first);
      await alice.press('End');
      await alice.waitFor(/40 matches for chatter in #team · more: scroll down/, 'the next page');
      await alice.press('End');
      await alice.waitFor(/60 matches for chatter in #team/, 'and the next');
      await alice.press('Escape');
      await alice.waitFor((s) => !/matches for chatter/.test(s), 'closed');
    },
    STEP_MS,
  );

  step(
    'nothing found, and a search the server refuses, say so in one sentence',
    async () => {
      await search('/search in:#team zeppelin');
      await alice.waitFor(/No messages in #team match zeppelin\./, 'nothing found');
      await alice.press('Escape');
      await search('/search in:#nowhere lunch');
      const refused = await alice.waitFor((s) => /nowhere/.test(s) && !/matches? for lunch/.test(s), 'the refusal in the responses');
      expect(refused).not.toMatch(/at .*\.js|Error:/);
    },
    STEP_MS,
  );
});
