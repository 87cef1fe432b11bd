/**
 * End to end: a group conversation in real terminals (tmux, 120x36 and 80x24). alice makes #team
 * with bob and carol; a line from each reaches the other two at once, with its sender; carol
 * leaves, alice writes, and carol's next login shows #team unread with the `── new ──` line; a
 * group line arriving while a pair conversation is open shows on the preview line and as a count;
 * the group's header counts its members and those online, and names who of them is away.
 */
import { expect, test } from '@jest/globals';
import { saveScreen, stage, storySteps, type Term, PASSWORD, STEP_MS, SIZES } from './terminal.js';

describe.each(SIZES)('at %ix%i', (columns, rows) => {
  const terms: Record<string, Term> = {};

  const world = stage();

  const step = storySteps(test);
  const login = async (user: string, name = user, register = true) => {
    terms[name] = await world.tmux.loggedIn(name, world.server.address, { user, password: PASSWORD, register, columns, rows });
    return terms[name]!;
  };

  step(
    'alice makes #team with bob and carol: it opens for her and shows in every list',
    async () => {
      await Promise.all([login('alice'), login('bob'), login('carol')]);
      const alice = terms.alice!;
      await alice.type('/group create team bob carol');
      await alice.press('Enter');
      await alice.waitFor(
        (s) => s.includes('made the group #team with bob, carol') && /─ #team · 3 members, 3 online ─/.test(s),
        '#team open for alice, its header',
      );
      for (const who of ['bob', 'carol']) await terms[who]!.waitFor(/alice made the group #team/, `${who} told`);
      expect(await terms.bob!.screen()).toMatch(/│ +#team/);
    },
    STEP_MS,
  );

  step(
    'a line from each reaches the other two at once, shown with its sender',
    async () => {
      const lines: [string, string][] = [
        ['alice', 'hello from alice'],
        ['bob', 'hi from bob'],
        ['carol', 'hey from carol'],
      ];
      for (const [who, text] of lines) {
        const term = terms[who]!;
        // Bob and carol had nothing open: alice's first line opened #team for them.
        await term.waitFor(/─ #team · 3 members, 3 online ─/, `#team open for ${who}`);
        await term.type(text);
        await term.press('Enter');
        for (const other of ['alice', 'bob', 'carol'].filter((o) => o !== who)) {
          await terms[other]!.waitFor(new RegExp(`${who}.*${text}`), `${other} sees ${who}'s line`);
        }
      }
    },
    STEP_MS,
  );

  step(
    'carol offline: alice writes; carol logs in again and finds #team unread, and opening it shows the new line above it',
    async () => {
      const carol = terms.carol!;
      await carol.type('/quit');
      await carol.press('Enter');
      await carol.waitFor(/EXIT=0/, 'carol quit');
      await terms.alice!.type('while carol was away');
      await terms.alice!.press('Enter');
      await terms.bob!.waitFor(/alice.*while carol was away/, 'bob sees it');
      const back = await login('carol', 'carol2', false);
      await back.waitFor(/#team +1/, '#team with one unread');
      await back.type('/open #team');
      await back.press('Enter');
      const screen = await back.waitFor((s) => /── new ──/.test(s) && s.includes('while carol was away'), 'the new line');
      saveScreen(`groups-${columns}x${rows}.txt`, screen);
      saveScreen(`groups-bob-${columns}x${rows}.txt`, await terms.bob!.screen());
      const rowsOf = screen.split('\n');
      const newRow = rowsOf.findIndex((r) => r.includes('── new ──'));
      const msgRow = rowsOf.findIndex((r) => r.includes('while carol was away'));
      expect(newRow).toBeGreaterThan(-1);
      expect(msgRow).toBeGreaterThan(newRow);
      expect(rowsOf.findIndex((r) => r.includes('hey from carol'))).toBeLessThan(newRow);
    },
    STEP_MS,
  );

  step(
    "bob reads alice's pair conversation: carol's line to #team shows on his preview line and as a count in the list",
    async () => {
      const bob = terms.bob!;
      await bob.typeLine('/open alice');
      await bob.waitFor(/─ alice ● ─/, 'alice open for bob');
      await terms.carol2!.typeLine('ping from carol');
      const screen = await bob.waitFor(
        (s) => (s.split('\n')[bob.rows - 5] ?? '').includes('carol in #team: ping from carol') && /#team +1/.test(s),
        'the preview line and the count',
      );
      expect(screen.split('\n')[0]).toMatch(/─ alice ● ─/); // still reading alice
      saveScreen(`groups-preview-${columns}x${rows}.txt`, screen);
    },
    STEP_MS,
  );

  step(
    "the group's header says who of its members is away: carol's /away lunch shows on bob's #team",
    async () => {
      const bob = terms.bob!;
      await bob.typeLine('/open #team');
      await bob.waitFor(/─ #team · 3 members, 3 online ─/, '#team open for bob');
      await terms.carol2!.typeLine('/away lunch');
      const screen = await bob.waitFor(/─ #team · 3 members, 3 online · away: carol ─/, "carol away in bob's header");
      saveScreen(`groups-away-${columns}x${rows}.txt`, screen);
      await terms.carol2!.typeLine('/back');
      await bob.waitFor(/─ #team · 3 members, 3 online ─/, 'carol back');
    },
    STEP_MS,
  );
});
