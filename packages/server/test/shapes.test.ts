/** Every event with payloads of the wrong shape: each gets a clear bad_request, nothing crashes. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RequestEvent } from '@tui-chat/protocol';
import { schemas } from '@tui-chat/protocol/schemas';
import { cid, rawRequest, request, startHarness, type Harness, type TestSocket } from './helpers.js';

let h: Harness;
let alice: TestSocket;
beforeAll(async () => {
  h = await startHarness();
  alice = (await h.register('alice')).socket;
  await h.register('bob');
});
afterAll(async () => {
  await h.close();
});

const events = Object.keys(schemas) as RequestEvent[];
const wrong: unknown[] = [
  null,
  42,
  'text',
  [],
  true,
  { to: 5 },
  { text: null, to: ['x'] },
  { user: {} },
  { with: 7 },
  { minutes: [] },
  { seq: 'x' },
];
// Events that take no payload (or only optional fields) accept anything object-like, so they only refuse non-objects.
const noPayload = new Set<RequestEvent>([
  'presence:whoelse',
  'inbox:fetch',
  'conversations:list',
  'block:list',
  'session:logout',
  'session:active',
  'broadcasts:fetch',
  'users:list',
]);

describe.each(events.filter((e) => e !== 'session:logout'))('%s', (event) => {
  test('a payload of the wrong shape gets bad_request with a sentence', async () => {
    for (const payload of wrong) {
      if (noPayload.has(event) && payload !== null && typeof payload === 'object' && !Array.isArray(payload)) continue;
      const reply = (await rawRequest(alice, event, payload)) as { ok: boolean; error?: { code: string; message: string } };
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('bad_request');
      expect(reply.error?.message).toMatch(/^The request has the wrong shape/);
    }
  });
});

describe('the connection survives abuse', () => {
  test('unknown events are answered, requests without an ack are ignored, and the session still works', async () => {
    expect(await rawRequest(alice, 'drop:tables', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Names an object has by inheritance are not requests either.
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      expect(await rawRequest(alice, name, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    (alice.emit as (event: string, payload: unknown) => void)('message:send', { to: 'bob', text: 'no ack', clientId: cid() });
    expect(await rawRequest(alice, 'message:send')).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await rawRequest(alice, 'message:send', { to: 'bob', text: 'x', clientId: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const ok = await request(alice, 'message:send', { to: 'bob', text: 'still here', clientId: cid() });
    expect(ok.ok).toBe(true);
    const hist = await request(alice, 'history:fetch', { with: 'bob' });
    // The message sent without an ack was not acted on: only the acknowledged one is stored.
    expect(hist.ok && hist.messages.map((m) => m.text)).toEqual(['still here']);
  });

  test('a packet over the size limit closes that connection only; the server keeps serving', async () => {
    const { socket: big } = await h.login('bob');
    const closed = new Promise<void>((resolve) => big.once('disconnect', () => resolve()));
    (big.emit as (event: string, payload: unknown) => void)('message:send', { to: 'alice', text: 'x'.repeat(200_000), clientId: cid() });
    await closed;
    expect((await request(alice, 'presence:whoelse', {})).ok).toBe(true);
  });
});
