import { KEY, makeState, setup, type Harness } from './helpers.js';

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
  expect(h.client.logins[0]).toEqual({ user: 'alice', password: 'hunter22', register: false });
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
  expect(h.client.logins[0]).toEqual({ user: 'bob', password: 'pass1', register: true });
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
