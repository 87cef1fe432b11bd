/**
 * End to end: "Remember this device" in the real `tui-chat connect`: ticked on the login screen
 * (Ctrl+T), /quit, and a restart of the client logs in without the password; /logout forgets it
 * (the file goes, the next start asks again); --remember ticks the box from the command line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { register, stage, PASSWORD, STEP_MS } from './terminal.js';

const world = stage({
  ready: async ({ server }) => {
    await register(server.port, 'rita', PASSWORD);
    await register(server.port, 'sam', PASSWORD);
  },
});

const sessionFile = (user: string) =>
  path.join(world.tmux.stateHome, 'tui-chat', 'sessions', world.server.address.replace(/:/g, '_3a'), `${user}.json`);

describe('remember this device', () => {
  test(
    'ticked on the login screen: /quit, then a restart logs in without the password; /logout forgets it',
    async () => {
      const first = await world.tmux.connect('remember-1', world.server.address, { columns: 120, rows: 36 });
      await first.waitFor(/║ +\[ \] Remember this device \(Ctrl\+T\) +║/, 'the box, not ticked');
      await first.type('rita');
      await first.press('Enter');
      await first.waitFor(/║ ▸ Password +║/, 'the password field focused');
      await first.type(PASSWORD);
      await first.waitFor(/║ ▸ Password +•{15} +║/, 'the password typed, hidden');
      await first.press('C-t');
      await first.waitFor(/║ +\[x\] Remember this device \(Ctrl\+T\) +║/, 'the box ticked');
      await first.press('Enter');
      await first.waitFor((s) => first.statusRow(s).includes('rita @') && first.statusRow(s).includes('· connected'), 'rita connected');
      expect(fs.statSync(sessionFile('rita')).mode & 0o777).toBe(0o600);
      await first.typeLine('/quit');
      await first.waitFor(/^EXIT=0$/m, 'the client to exit with 0');

      // No --user, no password: the remembered session logs in.
      const again = await world.tmux.connect('remember-2', world.server.address, { columns: 120, rows: 36 });
      await again.waitFor(
        (s) => again.statusRow(s).includes('rita @') && again.statusRow(s).includes('· connected'),
        'rita back without a password',
      );
      await again.typeLine('/logout');
      await again.waitFor(/║ Log in to 127\.0\.0\.1:\d+ +║/, 'the login screen after /logout');
      expect(fs.existsSync(sessionFile('rita'))).toBe(false);
      await again.press('C-c');
      await again.waitFor(/^EXIT=0$/m, 'the client to exit with 0');

      // Forgotten: the next start asks for the password, and says nothing went wrong.
      const third = await world.tmux.connect('remember-3', world.server.address, { columns: 120, rows: 36 });
      const screen = await third.waitFor(/║ ▸ Name +║/, 'the login screen, asking for a name');
      expect(screen).not.toContain('✗');
      await third.press('C-c');
    },
    STEP_MS,
  );

  test(
    '--remember at 80x24: the box starts ticked, and the login it makes is remembered',
    async () => {
      const term = await world.tmux.connect('remember-4', world.server.address, { user: 'sam', remember: true, columns: 80, rows: 24 });
      await term.waitFor(/║ +\[x\] Remember this device \(Ctrl\+T\) +║/, 'the box ticked by --remember');
      await term.type(PASSWORD);
      await term.waitFor(/║ ▸ Password +•{15} +║/, 'the password typed, hidden');
      await term.press('Enter');
      await term.waitFor((s) => term.statusRow(s).includes('sam @') && term.statusRow(s).includes('· connected'), 'sam connected');
      expect(fs.existsSync(sessionFile('sam'))).toBe(true);
      await term.press('C-c');
      await term.waitFor(/^EXIT=0$/m, 'the client to exit with 0');
      const again = await world.tmux.connect('remember-5', world.server.address, { user: 'sam', columns: 80, rows: 24 });
      await again.waitFor(
        (s) => again.statusRow(s).includes('sam @') && again.statusRow(s).includes('· connected'),
        'sam back without a password',
      );
      await again.press('C-c');
    },
    STEP_MS,
  );
});
