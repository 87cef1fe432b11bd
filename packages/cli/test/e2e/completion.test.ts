/**
 * End to end: Tab completes every user of a server larger than the first page of names the client
 * loads at login (500): zoe, the 602nd name, offline and never talked to, completes in a real
 * terminal, typed in one go with Tab right after it (the names are asked of the server then), and
 * a name nobody has still says "no completions".
 */
import { expect, test } from '@jest/globals';
import { SqliteStore } from '@tui-chat/server';
import { stage, startServer, storySteps, type Term } from './terminal.js';

const PASSWORD = 'correct-horse-1';
const STEP_MS = 60_000;

/** 600 users a000..a599, then zoe and zora, none online. */
async function seed(dbFile: string): Promise<void> {
  const store = new SqliteStore(dbFile);
  try {
    for (let i = 0; i < 600; i++) await store.createUser(`a${String(i).padStart(3, '0')}`, 'not-a-hash', 1);
    for (const name of ['zoe', 'zora']) await store.createUser(name, 'not-a-hash', 1);
  } finally {
    await store.close();
  }
}

let alice: Term;
const world = stage({ start: () => startServer([], seed) });
const step = storySteps(test);

step(
  'Tab completes zoe and zora past the first page of names; again cycles; a name nobody has: no completions',
  async () => {
    alice = await world.tmux.loggedIn('alice', world.server.address, {
      user: 'alice',
      password: PASSWORD,
      register: true,
      columns: 80,
      rows: 24,
    });
    // Typed and Tab pressed at once: nothing of zo* is held yet when Tab comes.
    await alice.type('/open zo');
    await alice.press('Tab');
    const screen = await alice.waitFor((s) => alice.inputText(s) === '/open zoe', 'zoe completed');
    expect(screen).toMatch(/\[zoe\] zora/);
    await alice.press('Tab');
    await alice.waitFor((s) => alice.inputText(s) === '/open zora', 'the next match');
    await alice.press('C-u');
    await alice.waitFor((s) => alice.inputText(s) === '', 'the line cleared');
    await alice.type('/open qq');
    await alice.press('Tab');
    const none = await alice.waitFor((s) => s.includes('no completions'), 'no completions');
    expect(alice.inputText(none)).toBe('/open qq');
  },
  STEP_MS,
);
