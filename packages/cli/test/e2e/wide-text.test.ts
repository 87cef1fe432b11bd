/**
 * End to end: the screen never breaks, whatever the text. bob's real `tui-chat connect` in tmux
 * (120x36 and 80x24) receives emoji that terminals count differently (👍🏽 ❤️), a flag, a ZWJ
 * family, CJK, Devanagari and Thai, and a 300-character web address; after every arrival, every
 * row of the frame is exactly the terminal's width as tmux itself measures it (Tmux.cells), with
 * the right border in the last column and the top border on the first row. Then 20 more
 * arrivals, Ctrl+L over a screen another program scribbled on, a resize and back, and emoji in
 * the input line.
 */
import fs from 'node:fs';
import { expect, test } from '@jest/globals';
import { frame, headless, type HeadlessSocket, register, stage, storySteps, type Term, WAIT_MS, PASSWORD, SIZES } from './terminal.js';

const STEP_MS = 90_000;

const URL_300 = 'https://example.com/' + Array.from({ length: 28 }, (_, i) => `seg${String(i).padStart(2, '0')}ment`).join('/') + 'z';

/** What alice sends, one at a time; each ends with a marker to wait for. */
const TEXTS = [
  'skin tone 👍🏽 #1',
  'flag 🇫🇷 #2',
  'heart ❤️ #3',
  'family 👨‍👩‍👧 #4',
  'CJK 漢字かな交じり文 #5',
  `link ${URL_300} #6`,
  'scripts हिन्दी क्षि กำ #7',
  'mixed 👍🏽🇫🇷❤️👨‍👩‍👧漢字 👍🏽 ❤️ 🇫🇷 👨‍👩‍👧 漢字 #8',
];

const BORDER_END = /[│┐┘║╗╝]$/;

describe.each(SIZES)('at %ix%i', (columns, rows) => {
  let bob: Term;
  let alice: HeadlessSocket;
  let sent = 0;

  const world = stage({
    ready: async ({ server }) => {
      await register(server.port, 'alice', PASSWORD);
      alice = await headless(server.port, { user: 'alice', password: PASSWORD });
    },
    cleanup: () => alice?.disconnect(),
    timeoutMs: STEP_MS,
  });

  async function send(text: string): Promise<void> {
    const reply = (await alice
      .timeout(15_000)
      .emitWithAck('message:send', { to: 'bob', text, clientId: `e2e-wide-${String(++sent).padStart(4, '0')}` })) as {
      ok: boolean;
    };
    expect(reply.ok).toBe(true);
  }

  /** What is wrong with a frame: rows not as wide as the terminal by tmux's own count, or without a border at their end. */
  async function problems(term: Term, screen: string): Promise<string[]> {
    const lines = screen.split('\n');
    const found: string[] = [];
    if (!/^[┌╔]─ Conversations/.test(lines[0] ?? '')) found.push('row 1 is not the top border');
    // The frame is rows - 1 lines: the bordered panes, then the status bar.
    for (let i = 0; i < term.rows - 2; i++) {
      const line = lines[i] ?? '';
      const cells = await term.tmux.cells(line);
      if (cells !== term.columns || !BORDER_END.test(line))
        found.push(`row ${i + 1}: ${cells} cells, ends with ${JSON.stringify(line.at(-1))}`);
    }
    return found;
  }

  /**
   * Waits for a screen that shows what `check` looks for with every row intact. (Polled: a capture
   * may fall between two parts of one frame's write; a broken frame stays broken and fails.)
   */
  async function waitIntact(term: Term, check: (screen: string) => boolean, what: string): Promise<string> {
    const start = Date.now();
    for (;;) {
      const screen = await term.screen();
      const found = check(screen) ? await problems(term, screen) : ['not shown yet'];
      if (found.length === 0) return screen;
      if (Date.now() - start > WAIT_MS) throw new Error(`${what}: ${found.join('; ')}\n${frame(screen)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The messages pane's rows, inside its borders (right of the conversation list). */
  function messageRows(screen: string): string[] {
    const listWidth = Math.max(18, Math.min(30, Math.round(columns * 0.22)));
    return screen
      .split('\n')
      .slice(1, rows - 2)
      .map((l) => [...l].slice(listWidth + 1, -1).join(''));
  }

  const step = storySteps(test);

  step(
    'bob logs in; each arrival keeps every row exactly the terminal wide',
    async () => {
      bob = await world.tmux.loggedIn('bob', world.server.address, { user: 'bob', password: PASSWORD, register: true, columns, rows });
      for (const text of TEXTS) {
        await send(text);
        const marker = text.slice(text.lastIndexOf('#'));
        await waitIntact(bob, (s) => s.includes(` ${marker}`), `"${marker}" on bob's screen, every row intact`);
      }
    },
    STEP_MS * 2,
  );

  step(
    'the ZWJ family is one emoji, and the 300-character address has rows of its own, whole',
    async () => {
      await send(`family 👨‍👩‍👧 again #9`);
      let screen = await bob.waitFor((s) => s.includes(' #9'), 'the family again');
      expect(screen).toContain('family 👨‍👩‍👧 again #9');
      expect(screen).not.toContain('\\u200D');
      await send(`link ${URL_300} #10`);
      screen = await waitIntact(bob, (s) => s.includes(' #10'), 'the address again, every row intact');
      const pane = messageRows(screen);
      const last = pane.findIndex((l) => / #10\s*$/.test(l));
      let first = last;
      while (first > 0 && /^\s*[a-z0-9:/.]+\s*$/.test(pane[first - 1]!)) first--;
      expect(pane[first]).toMatch(/^\s*https:\/\/example\.com\//);
      // The row before it ends the text before it; each row of it holds a piece of it and nothing else.
      expect(pane[first - 1]).toMatch(/link\s*$/);
      const pieces = pane.slice(first, last).map((l) => l.trim());
      expect(pieces.join('')).toBe(URL_300);
      for (const piece of pieces) expect(piece).toMatch(/^[a-z0-9:/.]+$/);
    },
    STEP_MS,
  );

  step(
    '20 more arrivals, each redrawing the frame: the top border stays on row 1',
    async () => {
      for (let i = 0; i < 20; i++) {
        await send(`again ${i} 👍🏽 ❤️ 🇫🇷 👨‍👩‍👧 漢字 हिन्दी @${i}@`);
        const screen = await bob.waitFor((s) => s.includes(`@${i}@`), `arrival ${i}`);
        expect(screen.split('\n')[0]).toMatch(/^┌─ Conversations/);
      }
      await waitIntact(bob, (s) => s.includes('@19@'), 'every row intact after 20 arrivals');
    },
    STEP_MS * 2,
  );

  step(
    'Ctrl+L draws the whole frame again over what another program wrote on the screen',
    async () => {
      const before = await bob.screen();
      const tty = await bob.format('#{pane_tty}');
      for (let round = 0; round < 3; round++) {
        // Another program writes on the terminal: the screen cleared, junk at the top.
        fs.writeFileSync(tty, '\x1b[H\x1b[2Jjunk from elsewhere\r\n\r\nmore junk');
        await bob.waitFor((s) => s.startsWith('junk from elsewhere'), 'the scribbled screen');
        await bob.press('C-l');
        const screen = await waitIntact(bob, (s) => !s.includes('junk'), `the whole frame again after Ctrl+L #${round + 1}`);
        expect(screen).toBe(before);
      }
    },
    STEP_MS,
  );

  step(
    'a resize and back: intact at both sizes',
    async () => {
      await bob.resize(columns - 7, rows - 3);
      await waitIntact(bob, (s) => [...(s.split('\n')[0] ?? '')].length === columns - 7 && s.includes('@19@'), 'the smaller frame, intact');
      await bob.resize(columns, rows);
      await waitIntact(
        bob,
        (s) => [...(s.split('\n')[0] ?? '')].length === columns && s.includes('@19@'),
        'the frame at its size again, intact',
      );
    },
    STEP_MS,
  );

  step(
    'emoji in the input line: the box keeps its width, and Left and Backspace go by whole characters',
    async () => {
      await bob.type('x👍🏽👨‍👩‍👧y');
      await waitIntact(bob, (s) => bob.inputText(s).startsWith('x👍👨‍👩‍👧y'), 'the typed emoji in the input line, every row intact');
      await bob.press('Left', 'BSpace');
      await waitIntact(bob, (s) => bob.inputText(s).startsWith('x👍y'), 'the family deleted as one character, every row intact');
      await bob.press('BSpace');
      await bob.waitFor((s) => bob.inputText(s).startsWith('xy'), 'the thumbs up (and its skin tone) deleted as one character');
      await bob.press('End', 'C-u');
      await bob.waitFor((s) => bob.inputText(s) === '', 'the input line empty again');
    },
    STEP_MS,
  );
});
