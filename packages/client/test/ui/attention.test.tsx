/**
 * Attention: the bell, the terminal title and OSC notifications, read from the bytes the real
 * runTui writes to its terminal while a real server delivers real messages; and the rules behind
 * them as plain functions.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runTui } from '../../src/ui/run-tui.js';
import {
  BELL,
  BELL_INTERVAL_MS,
  createAttention,
  notificationSequence,
  oscText,
  POP_TITLE,
  PUSH_TITLE,
  titleFor,
  titleSequence,
  wantsAttention,
} from '../../src/ui/attention.js';
import { LEAVE } from '../../src/ui/terminal.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/settings/settings.js';
import type { Arrival, ClientState } from '../../src/core/types.js';
import { initialState } from '../../src/core/initial-state.js';
import { startHarness, waitForMessage, type Harness } from '@tui-chat/testkit';
import { FakeStdin, FakeStdout } from './fake-terminal.js';
import { waitFor } from './wait.js';
import { arrival as carolArrival } from './arrival.js';

/** BEL bytes that ring: those not ending an OSC sequence (a title, a notification). */
const rings = (out: string): number => (out.replace(/\x1b\][^\x07\x1b]*\x07/g, '').match(/\x07/g) ?? []).length;

const arrival = (patch: Partial<Arrival> = {}): Arrival => carolArrival({ conversation: 'alice', from: 'alice', text: 'hi', ...patch });

describe('the rules', () => {
  test('what rings: a private message or list broadcast elsewhere, or one that opened its conversation; a broadcast to everyone only when it names you', () => {
    expect(wantsAttention(arrival())).toBe(true);
    expect(wantsAttention(arrival({ kind: 'broadcast' }))).toBe(true);
    expect(wantsAttention(arrival({ inOpen: true }))).toBe(false);
    expect(wantsAttention(arrival({ inOpen: true, opened: true }))).toBe(true);
    expect(wantsAttention(arrival({ kind: 'broadcast-all', conversation: '(broadcasts)' }))).toBe(false);
    expect(wantsAttention(arrival({ kind: 'broadcast-all', conversation: '(broadcasts)', mention: true }))).toBe(true);
  });

  test('the title: the unread count and the user; the server before login', () => {
    const s = initialState('127.0.0.1:4000');
    expect(titleFor(s)).toBe('tui-chat — 127.0.0.1:4000');
    const chat: ClientState = { ...s, screen: 'chat', user: 'bob', unreadTotal: 3 };
    expect(titleFor(chat)).toBe('(3) tui-chat — bob');
    expect(titleFor({ ...chat, unreadTotal: 0 })).toBe('tui-chat — bob');
  });

  test('text from the network cannot end a title or notification early or start another sequence', () => {
    const evil = 'x\x07\x1b]2;pwned\x07\x1b[2J\x9b31m\u202Eend\r\nnext';
    for (const out of [oscText(evil), titleSequence(evil).slice(4, -1)]) {
      expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    expect(oscText(evil)).toBe('x^G␛]2;pwned^G␛[2J\\x9B31m\\u202Eend next');
    const n9 = notificationSequence('osc9', arrival({ from: 'ali;ce', text: evil }), false);
    expect(n9.startsWith('\x1b]9;tui-chat: ali;ce: x^G')).toBe(true);
    expect(n9.slice(4, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(n9.endsWith('\x07')).toBe(true);
    const n777 = notificationSequence('osc777', arrival({ from: 'ali;ce', text: 'a;b' }), false);
    expect(n777).toBe('\x1b]777;notify;ali,ce;a;b\x07');
    expect(oscText('y'.repeat(500)).length).toBe(200);
    // Inside tmux: DCS passthrough with every ESC doubled.
    expect(notificationSequence('osc9', arrival(), true)).toBe('\x1bPtmux;\x1b\x1b]9;tui-chat: alice: hi\x07\x1b\\');
    expect(notificationSequence('off', arrival(), false)).toBe('');
  });

  test('at most one ring in BELL_INTERVAL_MS, and one notification per conversation; each setting turns its part off', () => {
    let now = 1_000_000;
    const written: string[] = [];
    const attention = createAttention((d) => written.push(d), { now: () => now });
    const base: ClientState = {
      ...initialState('h:1', true, { bell: true, title: true, notify: 'osc9', typing: true }),
      screen: 'chat',
      user: 'bob',
    };
    const at = (id: number, settings: Settings = base.settings, patch: Partial<Arrival> = {}): ClientState => ({
      ...base,
      settings,
      lastArrival: arrival({ id, ...patch }),
    });
    const take = () => written.splice(0).join('');
    attention.update(base);
    expect(take()).toBe(titleSequence('tui-chat — bob'));
    attention.update(at(1));
    expect(take()).toBe(BELL + '\x1b]9;tui-chat: alice: hi\x07');
    now += BELL_INTERVAL_MS - 1;
    attention.update(at(2));
    expect(take()).toBe('');
    // Another conversation's notification is not held back by this one's.
    attention.update(at(3, base.settings, { conversation: 'carol', from: 'carol' }));
    expect(take()).toBe('\x1b]9;tui-chat: carol: hi\x07');
    now += 1;
    attention.update(at(13));
    expect(take()).toContain(BELL);
    // The same state again: nothing new.
    attention.update(at(13));
    expect(take()).toBe('');
    now += BELL_INTERVAL_MS;
    attention.update(at(14, { ...base.settings, bell: false }));
    expect(take()).toBe('\x1b]9;tui-chat: alice: hi\x07');
    now += BELL_INTERVAL_MS;
    attention.update(at(15, { ...base.settings, notify: 'off' }));
    expect(take()).toBe(BELL);
    now += BELL_INTERVAL_MS;
    // Title off: the terminal's own title comes back (and is saved again for the exit).
    attention.update(at(16, { bell: false, title: false, notify: 'off', typing: true }));
    expect(take()).toBe(POP_TITLE + PUSH_TITLE);
    attention.update({ ...at(16, { bell: false, title: false, notify: 'off', typing: true }), unreadTotal: 4 });
    expect(take()).toBe('');
    // A new session counts its arrivals from 1 again.
    now += BELL_INTERVAL_MS;
    attention.update(at(1));
    expect(take()).toContain(BELL);
  });
});

describe('in the running client', () => {
  let h: Harness;
  const running: { stdin: FakeStdin; done: Promise<number> }[] = [];
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    // A test that failed midway leaves its client running: Ctrl+C it.
    for (const t of running.splice(0)) {
      t.stdin.type('\x03');
      await t.done;
    }
    await h.close();
  });

  function run(settings: Settings) {
    const stdin = new FakeStdin();
    const stdout = new FakeStdout();
    const stderr = new FakeStdout();
    const done = runTui({
      url: h.url,
      display: h.display,
      user: 'bob',
      password: 'secret-pw',
      register: true,
      settings,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
    });
    running.push({ stdin, done });
    return { stdin, stdout, done };
  }

  test('a private message rings, the title counts unread, an OSC 777 notification goes out; /quit gives the title back', async () => {
    const t = run({ bell: true, title: true, notify: 'osc777', typing: true });
    await waitFor(
      () => t.stdout.output.includes(titleSequence('tui-chat — bob')),
      () => t.stdout.output.slice(-400),
    );
    const alice = await h.register('alice');
    const carol = await h.register('carol');
    let mark = t.stdout.output.length;
    await alice.submit('/msg bob hello bob');
    // Nothing was open: the conversation opened for it, and it rings.
    await waitFor(() => rings(t.stdout.output.slice(mark)) === 1);
    await waitFor(() => t.stdout.output.slice(mark).includes('\x1b]777;notify;alice;hello bob\x07'));
    // carol writes while alice's conversation is open: the count goes into the title.
    mark = t.stdout.output.length;
    await carol.submit('/msg bob psst');
    await waitFor(
      () => t.stdout.output.slice(mark).includes(titleSequence('(1) tui-chat — bob')),
      () => JSON.stringify(t.stdout.output.slice(mark)),
    );
    await waitFor(() => t.stdout.output.slice(mark).includes('\x1b]777;notify;carol;psst\x07'));
    // A broadcast to everyone does not ring.
    mark = t.stdout.output.length;
    await alice.submit('/broadcast lunch');
    await waitForMessage(carol, '(broadcasts)', 'lunch');
    await waitFor(() => t.stdout.output.slice(mark).includes('lunch'));
    expect(rings(t.stdout.output.slice(mark))).toBe(0);
    t.stdin.type('/quit\r');
    await expect(t.done).resolves.toBe(0);
    // The last thing written gives the terminal its own title back.
    expect(t.stdout.output.endsWith(LEAVE)).toBe(true);
    expect(LEAVE.endsWith(POP_TITLE)).toBe(true);
  });

  test('with bell, title and notify off: no BEL, no title, no notification', async () => {
    const t = run({ bell: false, title: false, notify: 'off', typing: true });
    const alice = await h.register('alice');
    await waitFor(() => t.stdout.output.includes('bob @'));
    await alice.submit('/msg bob hello bob');
    await waitFor(() => t.stdout.output.includes('hello bob'));
    expect(rings(t.stdout.output)).toBe(0);
    expect(t.stdout.output).not.toContain('\x1b]2;');
    expect(t.stdout.output).not.toContain('\x1b]777;');
    t.stdin.type('\x03');
    await expect(t.done).resolves.toBe(0);
  });

  test('the defaults ring and set the title, and send no notification', () => {
    expect(DEFAULT_SETTINGS).toEqual({ bell: true, title: true, notify: 'off', typing: true });
  });
});
