import { COMMANDS } from '../../src/core/index.js';
import { KEY_SECTIONS, keyLabel } from '../../src/ui/key-labels.js';
import { KEYMAP } from '../../src/ui/keymap.js';
import { focusedPane, KEY, makeState, setup, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** Pages through the help screen and returns everything it showed. */
async function readHelp(harness: Harness): Promise<string> {
  let seen = harness.frame();
  for (let i = 0; i < 20 && !harness.frame().includes('═ Esc closes ═'); i++) {
    const before = harness.frame();
    await harness.press(KEY.pageDown);
    await harness.until((f) => f !== before);
    seen += '\n' + harness.frame();
  }
  return seen;
}

test('F1 shows every command from COMMANDS and every key binding of the keymap; Esc closes it', async () => {
  h = await setup(makeState(), { commands: COMMANDS, columns: 120, rows: 24 });
  await h.press(KEY.f1);
  await h.until((f) => f.includes('Help'));
  const seen = await readHelp(h);
  for (const c of COMMANDS) {
    expect(seen).toContain(c.usage);
    for (const alias of c.aliases) expect(seen).toContain(`/${alias}`);
  }
  // Every binding of the keymap (the login screen's are on the login screen), under its section.
  for (const { context, title } of KEY_SECTIONS) {
    if (context === 'login') continue;
    expect(seen).toContain(title);
    for (const b of KEYMAP[context]) expect(seen).toContain(keyLabel(b.keys[0]!));
  }
  await h.press(KEY.esc);
  await h.until((f) => !f.includes('Esc closes') && f.includes('Conversations'));
  expect(focusedPane(h.frame())).toBe('input');
});

test('/help opens the same screen without sending anything; F1 toggles it off', async () => {
  h = await setup(makeState(), { commands: COMMANDS });
  await h.press('/help', KEY.enter);
  await h.until((f) => f.includes('═ Help'));
  expect(h.client.submitted).toEqual([]);
  await h.press(KEY.f1);
  await h.until((f) => !f.includes('═ Help'));
});

test('/help <command> goes to the client', async () => {
  h = await setup(makeState(), { commands: COMMANDS });
  await h.press('/help msg', KEY.enter);
  await h.until(() => h!.client.submitted.length === 1);
  expect(h.client.submitted).toEqual(['/help msg']);
});
