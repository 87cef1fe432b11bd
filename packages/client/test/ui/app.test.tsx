import { inputText, KEY, makeState, setup, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

test('follows the client from the login screen to the chat screen and back; a logout keeps the name and the half-typed line', async () => {
  h = await setup(makeState({ screen: 'login', user: null, connection: 'idle' }));
  await h.press('alice', KEY.enter, 'secret', KEY.enter);
  await h.until(() => h!.client.logins.length === 1);
  h.client.set({ screen: 'chat', user: 'alice', connection: 'connected' });
  await h.until((f) => f.includes('Conversations'));
  await h.press('typed after login');
  await h.until((f) => inputText(f).endsWith('typed after login'));
  // Logged out (idle, or elsewhere): the login screen offers alice again, at her password.
  h.client.set({ screen: 'login', user: null, connection: 'offline' });
  await h.until((f) => f.includes('Log in to') && /Name +alice/.test(f));
  await h.press('x');
  await h.until((f) => /Password +•/.test(f));
  // Back in: the line she was typing is there again.
  h.client.set({ screen: 'chat', user: 'alice', connection: 'connected' });
  await h.until((f) => inputText(f).endsWith('typed after login'));
  // Another user does not get alice's line.
  h.client.set({ screen: 'login', user: null, connection: 'offline' });
  await h.until((f) => f.includes('Log in to'));
  h.client.set({ screen: 'chat', user: 'bob', connection: 'connected' });
  await h.until((f) => f.includes('Conversations'));
  expect(inputText(h.frame())).not.toContain('typed after login');
});

test('started to create an account (--register): after a logout the login screen is for logging in', async () => {
  h = await setup(makeState({ screen: 'login', user: null, connection: 'idle', registrationOpen: true }), {
    initialUser: 'ann',
    initialRegister: true,
  });
  await h.until((f) => f.includes('Create an account on'));
  h.client.set({ screen: 'chat', user: 'ann', connection: 'connected' });
  await h.until((f) => f.includes('Conversations'));
  h.client.set({ screen: 'login', user: null, connection: 'offline', loginError: 'Logged out after 20 s without a key pressed.' });
  const frame = await h.until((f) => f.includes('Log in to'));
  expect(frame).toMatch(/Name +ann/);
  expect(frame).toContain('[ ] Create a new account');
});

test('quits when the client asks for it (/quit handled by the client)', async () => {
  h = await setup();
  h.client.set({ quitRequested: true });
  await h.until(() => h!.quits >= 1);
});
