/**
 * End to end: the people list in real terminals (tmux, 120x36 and 80x24). A newcomer with nothing
 * open finds everyone on the server with F6 (the welcome says so), narrows it by typing the start
 * of a name, goes past the first page of 100, and opens a conversation with someone offline who
 * was never talked to; Tab completes that name too.
 */
import { expect, test } from '@jest/globals';
import { SqliteStore } from '@tui-chat/server';
import { stage, startServer, storySteps, type Term, PASSWORD, STEP_MS, SIZES } from './terminal.js';

const MANY = 150;

/** 150 users u000..u149 and zoe, none online. */
async function seed(dbFile: string): Promise<void> {
  const store = new SqliteStore(dbFile);
  try {
    for (let i = 0; i < MANY; i++) await store.createUser(`u${String(i).padStart(3, '0')}`, 'not-a-hash', 1);
    await store.createUser('zoe', 'not-a-hash', 1);
  } finally {
    await store.close();
  }
}

describe.each(SIZES)('at %ix%i', (columns, rows) => {
  let alice: Term;

  const world = stage({ start: () => startServer([], seed) });

  const step = storySteps(test);

  step(
    'with nothing open, the welcome names F6; F6 lists the people of the server, alice among them marked as her',
    async () => {
      alice = await world.tmux.loggedIn('alice', world.server.address, {
        user: 'alice',
        password: PASSWORD,
        register: true,
        columns,
        rows,
      });
      expect(await alice.screen()).toMatch(/F6 or \/people +everyone on the server/);
      await alice.press('F6');
      const screen = await alice.waitFor((s) => /═ People ═/.test(s) && s.includes('alice (you)'), 'the people list');
      expect(screen).toMatch(/● alice \(you\)/);
      expect(screen).toContain('Type the start of a name to narrow the list.');
      expect(screen).toMatch(/u000/);
    },
    STEP_MS,
  );

  step(
    'typing narrows it; End goes past the first page (the next names load)',
    async () => {
      await alice.type('u1');
      await alice.waitFor((s) => s.includes('Names starting with u1') && s.includes('u100') && !s.includes('u099'), 'narrowed to u1');
      await alice.press('BSpace', 'BSpace');
      // 'alice (you)' is the list's own first row: the status bar's 'alice @ …' shows while the list is still loading.
      await alice.waitFor((s) => s.includes('Type the start of a name') && s.includes('alice (you)'), 'widened again');
      // 152 users, 100 to a page: End goes to the last loaded and the next page comes; End again
      // reaches the last of them.
      expect(await alice.screen()).toContain('↓ more · Enter: open');
      await alice.press('End');
      // With the list's header in view: a half-drawn frame also lacks "↓ more".
      await alice.waitFor(
        (s) => !s.includes('↓ more') && !s.includes('loading…') && s.includes('Type the start of a name'),
        'the next page loaded',
      );
      await alice.press('End');
      await alice.waitFor(/▸ +zoe/, 'the end of the list, past the first page');
    },
    STEP_MS,
  );

  step(
    'Enter opens the conversation with zoe (offline, never talked to); what is typed next goes to her',
    async () => {
      await alice.press('Home');
      await alice.type('zo');
      await alice.waitFor(/▸ +zoe/, 'zoe selected');
      await alice.press('Enter');
      const screen = await alice.waitFor(/─ zoe [○◌ ]/, "zoe's conversation");
      expect(screen).not.toMatch(/═ People ═/);
      expect(screen).toContain('No messages yet. What you type here goes to zoe.');
      await alice.type('hello zoe');
      await alice.press('Enter');
      await alice.waitFor(/alice +hello zoe/, 'sent to zoe');
      // Tab completes her too (every user is known from the login on).
      await alice.type('/open zo');
      await alice.press('Tab');
      await alice.waitFor((s) => s.includes('/open zoe'), 'zoe completed');
      await alice.press('C-u');
    },
    STEP_MS,
  );
});
