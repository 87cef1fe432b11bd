import { inputText, KEY, makeState, setup, type Harness } from './helpers.js';
import { secondsLeft } from '../../src/ui/LoginScreen.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const loginState = (patch = {}) => makeState({ screen: 'login', user: null, connection: 'idle', ...patch });

test('name, hidden password, Enter logs in', async () => {
  h = await setup(loginState());
  expect(h.frame()).toContain('Log in to 127.0.0.1:4000');
  await h.press('alice', KEY.enter, 'hunter22');
  const frame = await h.until((f) => f.includes('••••••••'));
  expect(frame).not.toContain('hunter22');
  await h.press(KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toEqual({ user: 'alice', password: 'hunter22', register: false, remember: false });
});

test('"Remember this device": Ctrl+T ticks it from any field, Space on its box too, and the login asks for it', async () => {
  h = await setup(loginState());
  expect(h.frame()).toContain('[ ] Remember this device (Ctrl+T)');
  await h.press('alice', KEY.ctrl('t'));
  await h.until((f) => f.includes('[x] Remember this device'));
  // Still typing the name: Ctrl+T typed nothing into it.
  expect(h.frame()).toMatch(/Name +alice(?!t)/);
  await h.press(KEY.enter, 'hunter22', KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toMatchObject({ user: 'alice', remember: true });
  h.unmount();
  // Reached with Tab, the box toggles with Space; off again, the login does not ask for it.
  h = await setup(loginState({ registrationOpen: false }));
  await h.press('bob', KEY.tab, KEY.tab, ' ');
  await h.until((f) => f.includes('▸ [x] Remember this device'));
  await h.press(' ');
  await h.until((f) => f.includes('▸ [ ] Remember this device'));
  await h.press(KEY.shiftTab, 'pw', KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toMatchObject({ user: 'bob', remember: false });
});

test('the last failure is shown in place, the name kept and the password cleared', async () => {
  h = await setup(loginState());
  h.client.loginResult = false;
  await h.press('alice', KEY.enter, 'nope', KEY.enter);
  await h.until((f) => f.includes('wrong name or password'));
  h.client.set({ loginError: 'locked: try again in 42 s' });
  const frame = await h.until((f) => f.includes('✗ locked: try again in 42 s'));
  expect(frame).toMatch(/Name +alice/);
  expect(frame).not.toContain('••••');
});

test('creating an account is offered only when registration is open', async () => {
  h = await setup(loginState({ registrationOpen: false }));
  expect(h.frame()).not.toContain('Create a new account');
  h.unmount();
  h = await setup(loginState({ registrationOpen: null }));
  expect(h.frame()).toContain('[ ] Create a new account');
  await h.press(KEY.ctrl('r'));
  await h.until((f) => f.includes('[x] Create a new account') && f.includes('Repeat password'));
  await h.press('bob', KEY.enter, 'pass1', KEY.enter, 'pass2', KEY.enter);
  await h.until((f) => f.includes('The two passwords differ.'));
  expect(h.client.logins).toEqual([]);
  await h.press('pass1', KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toEqual({ user: 'bob', password: 'pass1', register: true, remember: false });
});

test('a bad name is refused before anything is sent', async () => {
  h = await setup(loginState());
  await h.press('Bad Name!', KEY.enter, 'pw12', KEY.enter);
  await h.until((f) => f.includes('may only hold'));
  expect(h.client.logins).toEqual([]);
});

test('--user prefills the name and starts in the password field', async () => {
  h = await setup(loginState(), { initialUser: 'carol' });
  expect(h.frame()).toMatch(/Name +carol/);
  expect(h.frame()).toMatch(/▸ Password/);
});

test('Ctrl+C quits from the login screen', async () => {
  h = await setup(loginState());
  await h.press(KEY.ctrl('c'));
  await h.until(() => h!.quits === 1);
});

test('keys typed while the login is on its way wait for the chat screen, in order', async () => {
  h = await setup(loginState({ connection: 'connecting' }), { initialUser: 'carol' });
  await h.press('/whoelse', KEY.enter, 'hi b');
  // Nothing lands in the login form meanwhile.
  expect(h.frame()).toMatch(/▸ Password +║/);
  expect(h.frame()).not.toContain('•');
  h.client.set({ screen: 'chat', connection: 'connected', user: 'carol' });
  await h.until((f) => inputText(f).endsWith('› hi b'));
  expect(h.client.submitted).toEqual(['/whoelse']);
});

test('keys typed during a login that fails are dropped, not typed into the password field', async () => {
  h = await setup(loginState({ connection: 'connecting' }), { initialUser: 'carol' });
  await h.press('/whoelse');
  h.client.set({ connection: 'idle', loginError: 'Wrong user name or password.' });
  await h.until((f) => f.includes('✗ Wrong user name or password.'));
  await h.press('pw');
  await h.until((f) => /▸ Password +••(?!•)/.test(f));
  expect(h.client.submitted).toEqual([]);
});

test('a long error wraps under its text, not under the mark', async () => {
  h = await setup(loginState({ loginError: 'Wrong password 3 times: dave is locked from your address for 60 s.' }));
  const lines = h.lines();
  const at = lines.findIndex((l) => l.includes('✗ Wrong password 3 times'));
  expect(lines[at]).toMatch(/║ ✗ Wrong password 3 times: dave is locked from your address +║/);
  expect(lines[at + 1]).toMatch(/║ {3}for 60 s\. +║/);
});

test('a lockout counts down the seconds until the next try, then says it may be tried', async () => {
  const retryAt = Date.now() + 2_500;
  h = await setup(loginState({ loginError: 'Wrong password 3 times: dave is locked from your address for 3 s.', loginRetryAt: retryAt }));
  await h.until((f) => f.includes('You can try again in 3 s.'));
  // The clock ticks by itself, second by second, down to "now".
  await h.until((f) => f.includes('You can try again in 2 s.'), 3_000);
  await h.until((f) => f.includes('You can try again in 1 s.'), 3_000);
  await h.until((f) => f.includes('You can try again now.'), 3_000);
});

test("a refusal with the server's own 'try again in N s' shows one countdown, not two numbers", async () => {
  h = await setup(loginState({ loginError: 'Too many wrong passwords for dave; try again in 51 s.', loginRetryAt: Date.now() + 37_000 }));
  const frame = await h.until((f) => f.includes('You can try again in 37 s.'));
  expect(frame).toContain('✗ Too many wrong passwords for dave.');
  expect(frame).not.toContain('51');
});

test('when nothing answers at the address the screen says so before any password, and why', async () => {
  h = await setup(loginState({ serverCheck: { state: 'silent', problem: 'connection refused', retryAt: Date.now() + 4_000 } }));
  await h.until((f) =>
    /Nothing answers at 127\.0\.0\.1:4000 \(connection refused\); +asking again in 4 s/.test(f.replace(/[║│]\s*\n\s*[║│]/g, ' ')),
  );
  await h.until((f) => f.includes('asking again in 3 s'), 3_000);
  h.client.set({ serverCheck: { state: 'answers' } });
  await h.until((f) => !f.includes('Nothing answers'));
});

test('creating an account states the password minimum and says so in the hint', async () => {
  h = await setup(loginState({ registrationOpen: true }));
  await h.press(KEY.ctrl('r'));
  const frame = await h.until((f) => f.includes('Create an account on'));
  expect(frame).toContain('A password has at least 4 characters; type it twice.');
  expect(frame).toContain('Enter: next / sign up');
});

test('secondsLeft rounds up and never goes below zero', () => {
  expect(secondsLeft(10_000, 0)).toBe(10);
  expect(secondsLeft(10_000, 9_001)).toBe(1);
  expect(secondsLeft(10_000, 10_000)).toBe(0);
  expect(secondsLeft(10_000, 99_000)).toBe(0);
});

test('the fields line up after the longest label', async () => {
  h = await setup(loginState(), { initialUser: 'erin' });
  await h.press(KEY.ctrl('r'), 'pw12345', KEY.enter, 'pw1');
  const frame = await h.until((f) => /Repeat password +•••(?!•)/.test(f));
  const lines = frame.split('\n');
  const valueAt = (label: string, value: string) => {
    const line = lines.find((l) => new RegExp(`[▸ ] ${label} `).test(l))!;
    return line.indexOf(value);
  };
  expect(valueAt('Password', '•')).toBe(valueAt('Name', 'erin'));
  expect(valueAt('Repeat password', '•')).toBe(valueAt('Name', 'erin'));
  expect(frame).toMatch(/Repeat password {2}•/);
});

test('a name and password that arrive in one piece (a password manager typing, a paste) fill both fields; a line break is Enter', async () => {
  h = await setup(loginState());
  // Typed faster than read: one chunk that ends mid-line, read as a paste.
  await h.press('alice\rhunter22');
  await h.until((f) => /Name +alice/.test(f) && /▸ Password +•{8}(?!•)/.test(f));
  await h.press(KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toEqual({ user: 'alice', password: 'hunter22', register: false, remember: false });
  h.unmount();
  // A bracketed paste of both lines, the last one ending in a line break, logs in.
  h = await setup(loginState());
  await h.press('\x1b[200~bob\nsecret-pw\n\x1b[201~');
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toEqual({ user: 'bob', password: 'secret-pw', register: false, remember: false });
  h.unmount();
  // A control key in the same piece is that key (Ctrl+R: create an account), never part of a password.
  h = await setup(loginState({ registrationOpen: null }));
  await h.press('carol\rpass1\x12');
  await h.until((f) => f.includes('[x] Create a new account') && /▸ Password +•{5}(?!•)/.test(f));
  await h.press(KEY.enter, 'pass1', KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  expect(h.client.logins[0]).toEqual({ user: 'carol', password: 'pass1', register: true, remember: false });
});
