/**
 * End to end: the login screen of the real `tui-chat connect` (80x24), three wrong passwords
 * locking a name with the time left, and a chat screen re-laid out when the terminal is resized.
 */
import { describe, expect, test } from '@jest/globals';
import { BIN, inverseColumns, register, saveScreen, shellQuote, stage, PASSWORD, STEP_MS } from './terminal.js';

const world = stage({
  ready: async ({ server }) => {
    await register(server.port, 'dave', PASSWORD);
  },
});

/** The rows of the login box, without the margin around it. */
const box = (screen: string): string[] =>
  screen
    .split('\n')
    .filter((l) => /[║╔╚]/.test(l))
    .map((l) => l.trim());

describe('the login screen', () => {
  test(
    'without --user: name, hidden password, and the account is created from the form',
    async () => {
      const term = await world.tmux.connect('login', world.server.address, { columns: 80, rows: 24 });
      await term.waitFor(/║ Log in to 127\.0\.0\.1:\d+ +║/, 'the login screen');
      await term.waitFor(/║ ▸ Name +║/, 'the name field focused');
      await term.type('erin');
      await term.press('Enter');
      await term.waitFor(/║ ▸ Password +║/, 'the password field focused');
      await term.type('erin-pass-1');
      let screen = await term.waitFor(/║ ▸ Password +•{11} +║/, 'eleven bullets, never the password');
      expect(screen).not.toContain('erin-pass-1');
      // Ctrl+R switches to creating an account: a second password field appears.
      await term.press('C-r');
      screen = await term.waitFor(/║ Create an account on 127\.0\.0\.1:\d+/, 'the form in create-account mode');
      expect(box(screen)).toEqual([
        expect.stringMatching(/^╔═ tui-chat ═+╗$/),
        expect.stringMatching(/^║ Create an account on 127\.0\.0\.1:\d+ +║$/),
        expect.stringMatching(/^║ +║$/),
        expect.stringMatching(/^║ {3}Name +erin +║$/),
        expect.stringMatching(/^║ ▸ Password +•{11} +║$/),
        expect.stringMatching(/^║ {3}Repeat password +║$/),
        expect.stringMatching(/^║ {3}\[x\] Create a new account \(Ctrl\+R\) +║$/),
        expect.stringMatching(/^║ {3}\[ \] Remember this device \(Ctrl\+T\) +║$/),
        expect.stringMatching(/^║ +║$/),
        // The mode and the password minimum are said before anything is refused.
        expect.stringMatching(/^║ {3}A password has at least 4 characters; type it twice\. +║$/),
        expect.stringMatching(/^║ +║$/),
        expect.stringMatching(/^║ +║$/),
        expect.stringMatching(/^║ Enter: next \/ sign up · Tab, ↑↓: fields · Ctrl\+C: quit +║$/),
        expect.stringMatching(/^╚═+╝$/),
      ]);
      await term.press('Enter');
      await term.waitFor(/║ ▸ Repeat password +║/, 'the repeat field focused');
      await term.type('erin-pass-1');
      saveScreen('login-80x24.txt', await term.waitFor(/║ ▸ Repeat password +•{11} +║/, 'the repeated password'));
      await term.press('Enter');
      await term.waitFor((s) => term.statusRow(s).startsWith(` erin @ ${world.server.address} · connected`), 'erin logged in');
    },
    STEP_MS,
  );

  test(
    'three wrong passwords lock the name, and the login screen says how long is left',
    async () => {
      const dave = await world.tmux.connect('dave', world.server.address, {
        user: 'dave',
        password: 'wrong-password-1',
        columns: 80,
        rows: 24,
      });
      await dave.waitFor(/║ ✗ Wrong user name or password\. +║/, 'the first refusal');
      await dave.waitFor(/║ ▸ Password +║/, 'the password field focused and empty');

      // A person types the password, presses Enter and waits for the answer (the field empties again).
      const attempt = async (password: string) => {
        await dave.type(password);
        await dave.waitFor(new RegExp(`║ ▸ Password +•{${password.length}} +║`), 'the password typed, as bullets');
        await dave.press('Enter');
        return dave.waitFor(/║ ▸ Password +║/, 'the answer (the password field empty again)');
      };
      expect(await attempt('wrong-password-2')).toMatch(/║ ✗ Wrong user name or password\. +║/);
      let screen = await attempt('wrong-password-3');
      // One line says what happened, one counts down (not two numbers that disagree).
      expect(box(screen).join('\n')).toMatch(
        /║ ✗ Wrong password 3 times: dave is locked from your address\. +║\n║ +You can try again in (60|59) s\. +║/,
      );

      // Even the right password is refused now, with the seconds left.
      screen = await attempt(PASSWORD);
      const left = Number(/You can try again in (\d+) s/.exec(screen)![1]);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(60);
      expect(box(screen).join('\n')).toMatch(/║ ✗ Too many wrong passwords for dave\. +║\n║ +You can try again in \d+ s\. +║/);
      expect(screen.match(/\d+ s\b/g)).toHaveLength(1);
    },
    STEP_MS,
  );
});

describe('resizing', () => {
  test(
    '120x36 to 80x24 re-lays out every pane to 80 columns; too small says so; larger again restores the panes',
    async () => {
      const term = await world.tmux.connect('resize', world.server.address, {
        user: 'frank',
        password: PASSWORD,
        register: true,
        columns: 120,
        rows: 36,
      });
      await term.waitFor((s) => term.statusRow(s).startsWith(` frank @ ${world.server.address} · connected`), 'frank connected');
      await term.typeLine('/msg dave the lock is only 60 s, so try again in a minute or two');
      await term.waitFor(/dave is offline; it will wait in their inbox/, 'the answer');
      await term.typeLine('/open dave');
      await term.waitFor(
        /│\d\d:\d\d +frank +the lock is only 60 s, so try again in a minute or two +│/,
        "the message in frank's conversation with dave",
      );

      await term.resize(80, 24);
      const screen = await term.waitFor(
        (s) => s.split('\n')[0]!.length === 80 && term.statusRow(s).startsWith(' frank @ '),
        'the panes re-laid out at 80 columns',
      );
      const lines = screen.split('\n');
      // 23 rows of frame, the 24th blank; every row exactly 80 columns, borders closed.
      expect(lines.slice(0, 22).every((l) => [...l].length === 80)).toBe(true);
      expect(lines[0]).toMatch(/^┌─ Conversations ┐┌─ dave ○ ─+ F3 ─┐$/);
      expect(lines[23]).toBe('');
      for (const l of lines.slice(1, 22)) expect(l).toMatch(/^[│║┌└╔╚].*[│║┐┘╗╝]$/);
      // The message re-wrapped to the narrower pane, the input box and the status bar follow.
      expect(screen).toMatch(/│\d\d:\d\d +frank +the lock is only 60 s, so try again in a +│\n│.*│ +minute or two +│/);
      expect(lines[20]).toMatch(/^║dave› +║$/);
      expect(lines[22]).toMatch(/^ frank @ 127\.0\.0\.1:\d+ · connected · 0 unread · F1 help$/);

      await term.resize(50, 12);
      const small = await term.waitFor(/Terminal too small: 50x12\./, 'the too-small message');
      expect(small).toMatch(/tui-chat needs at least 60x16\./);
      expect(small).not.toMatch(/[┌╔]/);

      await term.resize(120, 36);
      await term.waitFor(/^┌─ Conversations ─── F2 ─┐┌─ dave ○ ─+ F3 ─┐$/m, 'the full layout back at 120x36');
      await term.typeLine('/quit');
      await term.waitFor(/^EXIT=0$/m, 'the client to exit with 0');
    },
    STEP_MS,
  );
});

describe('NO_COLOR', () => {
  test(
    'no colour anywhere, yet the input cursor shows (reverse video is not a colour)',
    async () => {
      await register(world.server.port, 'gina', PASSWORD);
      const command = [process.execPath, BIN, 'connect', world.server.address, '--user', 'gina'].map(shellQuote).join(' ');
      const term = await world.tmux.open('nocolor', command, {
        columns: 100,
        rows: 30,
        env: { NO_COLOR: '1', TUI_CHAT_PASSWORD: PASSWORD },
      });
      await term.waitFor((s) => term.statusRow(s).startsWith(' gina @ '), 'gina logged in');
      await term.type('hello');
      const plainRow = term.inputRow(await term.waitFor((s) => term.inputText(s) === 'hello', 'hello in the input line'));
      // The cursor goes to the second "l" of "hello" (two places left of the end).
      const wanted = [...plainRow.slice(0, plainRow.indexOf('hello'))].length + 3;
      await term.press('Left', 'Left');
      const styled = await term.waitForStyled(
        (st) => JSON.stringify(inverseColumns(st.split('\n')[term.inputRowIndex] ?? '')) === JSON.stringify([wanted]),
        'the cursor, in reverse video, on the second "l"',
      );
      // No foreground or background colour on the whole screen: only bold, reverse and resets.
      const colours = [...styled.matchAll(/\x1b\[([0-9;]*)m/g)]
        .flatMap((m) => m[1]!.split(';'))
        .filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
      expect(colours).toEqual([]);
      await term.press('End', 'C-u');
      await term.waitFor((s) => term.inputText(s) === '', 'the input line empty');
      await term.typeLine('/quit');
      await term.waitFor(/^EXIT=0$/m, 'the client to exit with 0');
    },
    STEP_MS,
  );
});
