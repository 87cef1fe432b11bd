/**
 * One logged-in connection: joins its rooms, answers every request through its acknowledgement,
 * logs out after the idle timeout, and keeps presence right when it goes away.
 */
import { fail, type RequestEvent } from '@tui-chat/protocol';
import { describeIssues, schemas } from '@tui-chat/protocol/schemas';
import { pairRoom, tokenRoom, userRoom, type ChatSocket, type ServerContext } from './context.js';
import { peerAddress, sessionToken } from './auth/handshake.js';
import { handlers } from './handlers/index.js';
import { unavailableMessage, UNAVAILABLE_RETRY_S } from './unavailable.js';
import type { Request } from './handlers/request.js';
import { bufferedBytes, BUFFERED_SOFT_BYTES } from './guard/read-pressure.js';
import { REPLY_PAGE_MAX_BYTES } from '@tui-chat/protocol';

/** Requests that send messages (a group made or joined tells people too), limited per user on top of the per-session request limit. */
const MESSAGE_EVENTS = new Set<RequestEvent>(['message:send', 'broadcast:send', 'broadcast:list', 'group:create', 'group:invite']);
/** Requests that reach everyone online (an away change): charged to the same per-user budget as messages. */
const FAN_OUT_EVENTS = new Set<RequestEvent>([...MESSAGE_EVENTS, 'presence:away']);
/** What a person does: only these start the idle timeout again (see handlers/session-active.ts). */
const ACTIVE_EVENTS = new Set<RequestEvent>([...MESSAGE_EVENTS, 'session:active']);
/** Requests that answer with pages of messages: limited by the bytes they send, and held while the connection has not read the last ones. */
const HEAVY_EVENTS = new Set<RequestEvent>(['history:fetch', 'sync:since', 'inbox:fetch', 'broadcasts:fetch']);
const INTERNAL = 'The server failed to handle that request; nothing was changed. Try again.';

/** What a session's shared listeners need to reach from the socket. */
interface Live {
  ctx: ServerContext;
  /** When the person was last active: a message sent or 'session:active' (the idle timeout counts from it). */
  lastActive: number;
  /** Heavy requests (pages) being answered now. */
  heavyInFlight: number;
}
const LIVE = Symbol('tui-chat.session');
type LiveSocket = ChatSocket & { [LIVE]?: Live };

/**
 * One listener function per request event, shared by every socket (socket.io calls it with the
 * socket as `this`): a closure per event per socket cost memory on every idle connection. One
 * listener per event rather than one any-listener, so socket.io's per-socket middleware
 * (`socket.use`) still runs before every request (any-listeners run before it).
 */
const requestListeners = (Object.keys(handlers) as RequestEvent[]).map(
  (event) =>
    [
      event,
      function (this: LiveSocket, ...args: unknown[]): void {
        const live = this[LIVE];
        if (!live) return;
        answer(live, this, event, args).catch((err: unknown) => {
          // Only the limits can fail here (the handler's own failures are answered inside).
          live.ctx.log.error({ err, event, user: this.data.user }, 'request could not be answered');
          const ack = args[args.length - 1];
          if (typeof ack === 'function') ack(fail('internal', INTERNAL));
        });
      },
    ] as const,
);

function refuseUnknown(event: unknown, ...args: unknown[]): void {
  // Own names only: `toString` or `constructor` are no requests, though `in` would say so.
  if (typeof event === 'string' && Object.hasOwn(handlers, event)) return;
  const ack = args[args.length - 1];
  if (typeof ack === 'function') ack(fail('bad_request', `There is no request called ${JSON.stringify(String(event).slice(0, 40))}.`));
}

export async function startSession(ctx: ServerContext, socket: ChatSocket): Promise<void> {
  const { user } = socket.data;
  const { presence, store, log } = ctx;

  // The user room first, so a conversation created while the list below loads still reaches us.
  socket.join(userRoom(user));
  socket.join(tokenRoom(socket.data.tokenHash));
  // A disconnect may come before the add is recorded: the removal waits for it (see below).
  const added = presence.add(user, socket.id);
  ctx.track(
    added.then(async (cameOnline) => {
      if (!cameOnline) return;
      ctx.presenceFeed.push(user, true);
      // Away ends with the last session; one left over (its clearing failed) ends here.
      await ctx.away.clear([user]);
    }),
    'presence add failed',
  );
  log.info({ user, sid: socket.id, address: peerAddress(socket) }, 'session started');

  // One timer per session, re-armed only when it fires: a request just stamps the time (a new
  // timer per request cost more than the rest of a small request's work).
  const live: Live = { ctx, lastActive: Date.now(), heavyInFlight: 0 };
  (socket as LiveSocket)[LIVE] = live;
  const onIdleTimer = (): void => {
    const idleFor = Date.now() - live.lastActive;
    if (idleFor < ctx.options.idleTimeoutMs) {
      idleTimer = setTimeout(onIdleTimer, ctx.options.idleTimeoutMs - idleFor);
      idleTimer.unref();
      return;
    }
    const minutes = Math.round(ctx.options.idleTimeoutMs / 60_000);
    socket.emit('notice', {
      code: 'idle_timeout',
      message: `Logged out after ${minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(ctx.options.idleTimeoutMs / 1000)} s`} without a key pressed.`,
    });
    void store.deleteSession(socket.data.tokenHash).finally(() => socket.disconnect(true));
  };
  let idleTimer = setTimeout(onIdleTimer, ctx.options.idleTimeoutMs);
  idleTimer.unref();

  socket.on('disconnect', (reason) => {
    clearTimeout(idleTimer);
    log.info({ user, sid: socket.id, reason }, 'session ended');
    // The token's idle time counts from here (a logged-out token is gone already: nothing to touch).
    ctx.track(store.touchSessions([socket.data.tokenHash], Date.now()), 'session touch failed');
    const gone = async (): Promise<void> => {
      await added.catch(() => undefined);
      let last: boolean;
      try {
        last = await presence.remove(user, socket.id);
      } catch (err) {
        // Redis out of reach: the cluster presence settles it when Redis is back; wholast still learns.
        await store.touchLastSeen([user], Date.now());
        throw err;
      }
      if (!last) return;
      ctx.presenceFeed.push(user, false);
      await Promise.all([store.touchLastSeen([user], Date.now()), ctx.away.clear([user])]);
    };
    ctx.track(gone(), 'presence removal failed');
  });

  for (const [event, listener] of requestListeners) socket.on(event, listener as never);
  socket.onAny(refuseUnknown);

  for (const c of await store.conversationsOf(user)) socket.join(pairRoom(c.conversation));
  // Presence out of reach (Redis away) does not keep the session from starting: the cluster
  // presence writes it, and tells the others, once Redis is back (see RedisPresence).
  await added.catch(() => undefined);
  socket.emit('session:ready', {
    user,
    token: sessionToken(socket),
    idleTimeoutSeconds: Math.round(ctx.options.idleTimeoutMs / 1000),
  });
}

async function answer(live: Live, socket: ChatSocket, event: RequestEvent, args: unknown[]): Promise<void> {
  const { ctx } = live;
  // socket.io passes the ack last; a request without one cannot be answered, so it is ignored.
  const ack = args[args.length - 1];
  if (typeof ack !== 'function') return;
  if (ACTIVE_EVENTS.has(event)) live.lastActive = Date.now();
  const busy = ctx.limits.request(socket.data.sessionId);
  if (busy > 0) {
    ack(fail('rate_limited', `Too many requests; wait ${busy} s and try again.`, { retryAfter: busy }));
    return;
  }
  const raw = args.length > 1 ? args[0] : undefined;
  const parsed = schemas[event].safeParse(raw);
  if (!parsed.success) {
    ack(fail('bad_request', describeIssues(parsed.error)));
    return;
  }
  if (FAN_OUT_EVENTS.has(event)) {
    const wait = ctx.limits.message(socket.data.user);
    if (wait > 0) {
      ack(fail('rate_limited', `You are sending too fast; wait ${wait} s and try again. Nothing was sent.`, { retryAfter: wait }));
      return;
    }
  }
  const heavy = HEAVY_EVENTS.has(event);
  if (heavy) {
    // Pages already owed to this connection count as if sent: requests sent together are answered
    // together, before any of their pages reaches the buffers.
    if (bufferedBytes(socket) + live.heavyInFlight * REPLY_PAGE_MAX_BYTES >= BUFFERED_SOFT_BYTES) {
      ack(fail('rate_limited', 'Your connection has not taken in the last answers yet; try again in 1 s.', { retryAfter: 1 }));
      return;
    }
    const wait = ctx.limits.readWait(socket.data.user);
    if (wait > 0) {
      ack(fail('rate_limited', `You are reading faster than this server gives out; wait ${wait} s and try again.`, { retryAfter: wait }));
      return;
    }
  }
  const after: (() => void | Promise<void>)[] = [];
  const req: Request<RequestEvent> = {
    ctx,
    socket,
    user: socket.data.user,
    payload: parsed.data as never,
    afterAck: (fn) => after.push(fn),
    charge: (bytes) => ctx.limits.chargeRead(socket.data.user, bytes),
  };
  let reply;
  if (heavy) live.heavyInFlight++;
  try {
    reply = await (handlers[event] as (r: Request<RequestEvent>) => Promise<unknown>)(req);
  } catch (err) {
    const unavailable = unavailableMessage(ctx, err);
    if (unavailable) {
      ctx.log.warn({ err: (err as Error).message, event, user: socket.data.user }, 'request refused: a service is out of reach');
      ack(fail('unavailable', unavailable, { retryAfter: UNAVAILABLE_RETRY_S }));
      return;
    }
    ctx.log.error({ err, event, user: socket.data.user }, 'request failed');
    ack(fail('internal', INTERNAL));
    return;
  } finally {
    // Answered (the page is in the buffers now, where bufferedBytes sees it) or failed.
    if (heavy) live.heavyInFlight--;
  }
  ack(reply);
  for (const fn of after) {
    try {
      // A delivery is synchronous: awaited only when it returns a promise (no microtask turn per message).
      const pending = fn();
      if (pending) await pending;
    } catch (err) {
      ctx.log.error({ err, event }, 'delivery after ack failed');
    }
  }
}
