/**
 * End to end: nothing that arrives goes unseen. Three freshly logged-in users in real terminals
 * (tmux, 120x36 and 80x24), nothing open; every arrival is on the receiving screen without a key
 * pressed there: the conversation opens, or the preview line shows it, or the broadcast shows
 * inline. Then a 500-message conversation opened at its new line and scrolled up to its start,
 * the older pages loading by themselves.
 */
import { expect, test } from '@jest/globals';
import { conversationId } from '@tui-chat/protocol';
import { SqliteStore } from '@tui-chat/server';
import { register, saveScreen, stage, startServer, storySteps, type Term, PASSWORD, STEP_MS, SIZES } from './terminal.js';

const LONG = 500;
/** bob has read dan's conversation up to here: 20 unread. */
const READ_UP_TO = 480;

/** 500 messages from dan to bob, written before the server starts (no user could send them that fast). */
async function seed(dbFile: string): Promise<void> {
  const store = new SqliteStore(dbFile);
  try {
    const start = Date.now() - 60 * 60_000;
    const batch = Array.from({ length: LONG }, (_, i) => ({
      from: 'dan',
      to: 'bob',
      text: `dan says ${i + 1}`,
      at: start + i * 1000,
      clientId: `seed-${String(i + 1).padStart(4, '0')}`,
      kind: 'direct' as const,
    }));
    await store.appendMessages(batch);
    await store.markRead('bob', conversationId('bob', 'dan'), READ_UP_TO);
  } finally {
    await store.close();
  }
}

/** The messages pane's rows (right of the conversation list, inside its border). */
function messagesPane(screen: string, listWidth: number): string[] {
  const lines = screen.split('\n');
  const bottom = lines.findIndex((l, i) => i > 0 && l.startsWith('└'));
  return lines.slice(1, bottom).map((l) =>
    [...l]
      .slice(listWidth + 1, -1)
      .join('')
      .trimEnd(),
  );
}

describe.each(SIZES)('at %ix%i', (columns, rows) => {
  // chatLayout: the list takes 22% of the width, 18 to 30 columns.
  const listWidth = Math.max(18, Math.min(30, Math.round(columns * 0.22)));
  let alice: Term;
  let bob: Term;
  let carol: Term;
  const pane = async (term: Term) => messagesPane(await term.screen(), listWidth).join('\n');
  const inputBorder = (term: Term, screen: string) => screen.split('\n')[term.rows - 5] ?? '';

  const world = stage({
    start: () => startServer([], seed),
    ready: async ({ server }) => {
      await register(server.port, 'dan', PASSWORD);
    },
  });

  const step = storySteps(test);

  step(
    'three users log in; with nothing open each sees what will happen',
    async () => {
      for (const name of ['alice', 'bob', 'carol'] as const) {
        const term = await world.tmux.loggedIn(name, world.server.address, {
          user: name,
          password: PASSWORD,
          register: true,
          columns,
          rows,
        });
        if (name === 'alice') alice = term;
        else if (name === 'bob') bob = term;
        else carol = term;
      }
      const screen = await alice.screen();
      expect(screen).toContain('Nothing is open yet. A message that arrives opens');
      // bob has 20 unread messages from dan, waiting from before: the preview line says so.
      await bob.waitFor((s) => inputBorder(bob, s).includes(`dan: dan says ${LONG}`), 'the preview of what waited');
    },
    STEP_MS,
  );

  step(
    "/msg bob hello: on bob's screen (his conversation with alice opened by itself) and on alice's",
    async () => {
      await alice.typeLine('/msg bob hello');
      await bob.waitFor((s) => messagesPane(s, listWidth).some((l) => /alice +hello/.test(l)), "hello on bob's screen");
      expect((await bob.screen()).split('\n')[0]).toMatch(/─ alice ● ─/);
      expect(await pane(alice)).toMatch(/alice +hello/);
      expect((await alice.screen()).split('\n')[0]).toMatch(/─ bob ● ─/);
    },
    STEP_MS,
  );

  step(
    "carol writes while bob reads alice: the preview line on bob's screen, the count in his title",
    async () => {
      await carol.typeLine('/msg bob second from carol');
      const screen = await bob.waitFor((s) => inputBorder(bob, s).includes('carol: second from carol'), 'the preview line');
      expect(inputBorder(bob, screen)).toMatch(/\(Alt\+A\) ═+ Esc ═╗$/);
      expect(screen.split('\n')[0]).toMatch(/─ alice ● ─/); // still reading alice
      expect(await bob.format('#{pane_title}')).toBe('(21) tui-chat — bob');
      saveScreen(`arrivals-preview-${columns}x${rows}.txt`, screen);
    },
    STEP_MS,
  );

  step(
    'a /broadcast shows on every screen, inline in the open conversations',
    async () => {
      await carol.typeLine('/broadcast lunch is here');
      for (const term of [alice, bob, carol]) {
        await term.waitFor(
          (s) => messagesPane(s, listWidth).some((l) => l.includes('(broadcast) lunch is here')),
          `the broadcast on ${term.name}'s screen`,
        );
      }
    },
    STEP_MS,
  );

  step(
    "broadcast user bob carol message x: x on bob's and carol's screens",
    async () => {
      await alice.typeLine('/broadcast user bob carol message x marks the spot');
      // bob reads alice: it lands there. carol reads bob: it shows as her preview line.
      await bob.waitFor((s) => messagesPane(s, listWidth).some((l) => l.includes('(broadcast) x marks the spot')), "x on bob's screen");
      await carol.waitFor((s) => inputBorder(carol, s).includes('alice: (broadcast) x marks the spot'), "x on carol's screen");
    },
    STEP_MS,
  );

  step(
    'Alt+A opens what the preview showed; the preview moves on to the next',
    async () => {
      await bob.press('M-a');
      const screen = await bob.waitFor((s) => s.split('\n')[0]!.includes('─ carol ● ─'), "carol's conversation");
      expect(messagesPane(screen, listWidth).join('\n')).toContain('second from carol');
      await bob.waitFor((s) => inputBorder(bob, s).includes(`dan: dan says ${LONG}`), 'dan waiting, next');
    },
    STEP_MS,
  );

  step(
    'a 500-message conversation opens at its new line, then scrolling up loads older pages down to its start',
    async () => {
      await bob.press('M-a');
      let screen = await bob.waitFor((s) => s.split('\n')[0]!.includes('─ dan ○ ─') && s.includes('dan says'), "dan's conversation");
      let lines = messagesPane(screen, listWidth);
      // The view starts at the new line, with the first unread message under it.
      expect(lines[0]).toMatch(/^─+ new ─+$/);
      expect(lines[1]).toMatch(new RegExp(`dan +dan says ${READ_UP_TO + 1}$`));
      saveScreen(`arrivals-new-line-${columns}x${rows}.txt`, screen);
      expect(await bob.format('#{pane_title}')).toBe('tui-chat — bob');
      // Up to the start: Home goes to the top of what is held, which asks for the page before it.
      await bob.press('F3');
      for (let round = 0; round < 40; round++) {
        const top = messagesPane(await bob.screen(), listWidth)[0];
        if (top?.includes('start of the conversation with dan')) break;
        await bob.press('Home');
        await bob.waitFor(
          (s) => messagesPane(s, listWidth)[0] !== top || messagesPane(s, listWidth)[0]!.includes('start of'),
          'the view to move up',
        );
      }
      screen = await bob.waitFor(
        (s) => messagesPane(s, listWidth)[0]!.includes('start of the conversation with dan'),
        'the start of the conversation',
      );
      lines = messagesPane(screen, listWidth);
      expect(lines.join('\n')).toMatch(/dan +dan says 1\s*$/m);
      saveScreen(`arrivals-start-${columns}x${rows}.txt`, screen);
      // Down again to the newest: all 500 in order, none twice (checked at the bottom).
      await bob.press('End');
      screen = await bob.waitFor((s) => messagesPane(s, listWidth).some((l) => l.endsWith(`dan says ${LONG}`)), 'the newest again');
      expect(screen).not.toContain('loading older');
    },
    STEP_MS * 2,
  );
});
