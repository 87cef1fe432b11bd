/**
 * Fuzzing: thousands of malformed payloads to every event, and malformed engine.io / socket.io
 * frames to the port. The server must answer every acknowledged request with a known error code,
 * never crash, never leave an unhandled rejection, and still serve normal users afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import WebSocket from 'ws';
import { ERROR_CODES, type RequestEvent } from '@tui-chat/protocol';
import { schemas } from '@tui-chat/protocol/schemas';
import { cid, rawRequest, request, startHarness, type Harness, type TestSocket } from './helpers.js';

let h: Harness;
let alice: TestSocket;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
export const fuzzCounts = { payloads: 0, frames: 0 };

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startHarness({ limits: { requestsPerWindow: 1e9, messagesPerWindow: 1e9, loginsPerMinute: 1e9 } });
  alice = (await h.register('alice')).socket;
  await h.register('bob');
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.close();

  console.log(`fuzz: ${fuzzCounts.payloads} payloads, ${fuzzCounts.frames} raw frames`);
});

// Events that would end the session are fuzzed last, on their own.
const events = (Object.keys(schemas) as RequestEvent[]).filter((e) => e !== 'session:logout');
const names = fc.oneof(fc.constantFrom('bob', 'alice', 'BOB', '../x', '', 'a'.repeat(40), 'ghost', 'b\u0000ob'), fc.string());
// Payloads near the right shape reach deeper than random values.
const nearShape = fc.record(
  {
    to: fc.oneof(names, fc.array(names, { maxLength: 5 }), fc.anything()),
    text: fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.anything()),
    clientId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), fc.anything()),
    minutes: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.anything()),
    with: fc.oneof(names, fc.anything()),
    user: fc.oneof(names, fc.anything()),
    before: fc.oneof(fc.integer(), fc.anything()),
    limit: fc.oneof(fc.integer(), fc.anything()),
    seq: fc.oneof(fc.integer(), fc.anything()),
    seen: fc.oneof(
      fc.dictionary(
        fc.oneof(fc.constantFrom('alice:bob', 'bob:alice', 'alice:carol', 'alice:ghost', 'a:b', '__proto__', 'alice:..'), fc.string()),
        fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.anything()),
        { maxKeys: 8 },
      ),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);
const payload = fc.oneof(fc.anything({ maxDepth: 3 }), nearShape);

type Reply = { ok: boolean; error?: { code: string; message: string } };
function checkReply(reply: Reply): void {
  expect(typeof reply.ok).toBe('boolean');
  if (!reply.ok) {
    expect(ERROR_CODES).toContain(reply.error?.code);
    expect(reply.error?.code).not.toBe('internal');
    expect(typeof reply.error?.message).toBe('string');
    expect(reply.error!.message.length).toBeGreaterThan(5);
  }
}

describe('malformed payloads', () => {
  test.each(events)('%s answers every payload with ok or a known error', async (event) => {
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        fuzzCounts.payloads += 1;
        checkReply((await rawRequest(alice, event, p)) as Reply);
      }),
      { numRuns: 250 },
    );
  });

  test('extra arguments and odd argument counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }), fc.constantFrom(...events), async (args, event) => {
        fuzzCounts.payloads += 1;
        checkReply((await rawRequest(alice, event, ...args)) as Reply);
      }),
      { numRuns: 300 },
    );
  });
});

describe('malformed frames', () => {
  const frame = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      '4',
      '40',
      '42',
      '42[',
      '42["message:send"',
      '43',
      '451-',
      '451-["x",{"_placeholder":true,"num":99}]',
      '2',
      '3',
      '1',
      '6',
      '5',
      '0{',
      '4{}',
      '42[1,2,3]',
      '42{"a":1}',
      '42[null]',
      '40/nope,',
    ),
    fc.string({ maxLength: 50 }).map((s) => `42${s}`),
    fc.string({ maxLength: 50 }).map((s) => `40${s}`),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  );

  test('raw websocket frames, logged in or not, never crash the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), fc.boolean(), async (frames, login) => {
        const ws = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/?EIO=4&transport=websocket`);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        if (login) ws.send('40{"user":"alice","password":"secret-pw"}');
        for (const f of frames) {
          fuzzCounts.frames += 1;
          if (ws.readyState === WebSocket.OPEN) ws.send(f);
        }
        ws.close();
        await new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())));
      }),
      { numRuns: 150 },
    );
    // The server still serves: new accounts, a login and a message round trip work. Users of their
    // own: the payload fuzz above may leave alice blocking bob (a random block:add), which would
    // refuse this message for a reason that has nothing to do with frames.
    await h.register('frank');
    const { socket: frank } = await h.login('frank');
    await h.register('grace');
    const reply = await request(frank, 'message:send', { to: 'grace', text: 'still alive', clientId: cid() });
    expect(reply).toMatchObject({ ok: true });
  });

  test('plain HTTP garbage on the port is answered and harmless', async () => {
    const res = await fetch(`http://127.0.0.1:${h.port}/socket.io/?EIO=9&transport=carrier-pigeon`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const info = await fetch(`http://127.0.0.1:${h.port}/tui-chat/info`);
    expect(await info.json()).toMatchObject({ name: 'tui-chat', registration: 'open' });
    // One SQLite server: healthy, no Redis to need.
    const health = await fetch(`http://127.0.0.1:${h.port}/tui-chat/health`);
    expect([health.status, await health.json()]).toEqual([200, { ok: true, database: 'ok', redis: 'none' }]);
    expect((await fetch(`http://127.0.0.1:${h.port}/tui-chat/health?from=haproxy`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${h.port}/etc/passwd`)).status).toBe(404);
  });

  test('no unhandled rejection, bounded memory, and logout still answers', async () => {
    expect(unhandled).toEqual([]);
    expect(process.memoryUsage().heapUsed).toBeLessThan(1024 * 1024 * 1024);
    expect(await rawRequest(alice, 'session:logout', { junk: [1, 2, 3] })).toEqual({ ok: true });
  });
});
