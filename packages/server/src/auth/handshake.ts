/**
 * Login, registration and reconnection, all in the socket.io handshake: a refused handshake
 * never becomes a session. Errors reach the client as `connect_error` with a ChatError in `data`.
 */
import crypto from 'node:crypto';
import { nameProblem, normalizeName, passwordProblem, type ChatError, type ErrorCode } from '@tui-chat/protocol';
import { authSchema } from '@tui-chat/protocol/schemas';
import type { ChatSocket, ServerContext } from '../context.js';
import { burnPasswordCheck, hashPassword, HashingBusy, needsRehash, verifyPassword } from './passwords.js';
import { unavailableMessage, UNAVAILABLE_RETRY_S } from '../unavailable.js';
import { refuseNewName } from './names.js';

type HandshakeError = Error & { data: ChatError };

function refuse(code: ErrorCode, message: string, extra: Partial<ChatError> = {}): HandshakeError {
  const err = new Error(message) as HandshakeError;
  err.data = { code, message, ...extra };
  return err;
}

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

/** The peer address, with IPv4-mapped IPv6 written as plain IPv4. */
export function peerAddress(socket: ChatSocket): string {
  const addr = socket.handshake.address || 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

/**
 * Replaces a hash that just verified (scrypt, or Argon2id at other parameters) with one at the
 * server's cost: the password is only ever known at a login. Only if the stored hash is still the
 * one checked (another node may have done it first). A failure is logged; the login goes on.
 */
async function rehash(ctx: ServerContext, user: string, stored: string, password: string, address: string): Promise<void> {
  try {
    const fresh = await hashPassword(password, ctx.options.passwordCost, address);
    if (!(await ctx.store.replacePasswordHash(user, stored, fresh))) return;
    ctx.log.info({ user, from: stored.split('$')[stored.startsWith('$') ? 1 : 0] }, 'password rehashed to Argon2id');
  } catch (err) {
    ctx.log.warn({ user, err: (err as Error).message }, 'password rehash failed; the old hash stays');
  }
}

async function authenticate(ctx: ServerContext, socket: ChatSocket): Promise<void> {
  const parsed = authSchema.safeParse(socket.handshake.auth);
  if (!parsed.success) {
    throw refuse('bad_request', 'Log in with a user name and a password (or a session token).');
  }
  const auth = parsed.data;
  const problem = nameProblem(auth.user);
  if (problem) throw refuse('invalid_name', problem);
  const user = normalizeName(auth.user);
  const now = Date.now();
  if (ctx.connections.over(socket.request.socket)) throw refuse('rate_limited', ctx.connections.tooMany(), { retryAfter: 10 });
  // Limits and lockouts count an IPv6 network (a /64 by default) as one address.
  const address = ctx.connections.key(peerAddress(socket));
  // Token reconnects have a budget of their own: many clients behind one address come back
  // together after a restart, and must not spend (or be refused by) the password logins' budget.
  const wait = 'token' in auth ? await ctx.limits.reconnect(address) : await ctx.limits.login(address);
  if (wait > 0) {
    throw refuse('rate_limited', `Too many login attempts from your address; try again in ${wait} s.`, { retryAfter: wait });
  }

  if ('token' in auth) {
    const tokenHash = hashToken(auth.token);
    const session = await ctx.store.getSession(tokenHash);
    const expired =
      session !== null && (now - session.lastUsedAt > ctx.options.idleTimeoutMs || now - session.createdAt > ctx.options.tokenLifetimeMs);
    if (session && expired) await ctx.store.deleteSession(tokenHash);
    if (!session || expired || session.user !== user) {
      throw refuse('session_expired', 'Your session has ended; log in again with your password.');
    }
    await ctx.store.touchSessions([tokenHash], now);
    socket.data = { user, sessionId: crypto.randomUUID(), tokenHash };
    (socket as unknown as { token: string }).token = auth.token;
    return;
  }

  if (auth.register) {
    if (ctx.options.registration !== 'open') {
      throw refuse('registration_closed', 'This server does not accept new accounts; ask its admin to add you.');
    }
    // Checked before the (slow) hash: a look-alike or reserved name costs the server nothing.
    const refusal = await refuseNewName(ctx.store, user);
    if (refusal) throw refuse(refusal.code, refusal.message);
    const pwProblem = passwordProblem(auth.password);
    if (pwProblem) throw refuse('invalid_password', pwProblem);
    const hash = await hashPassword(auth.password, ctx.options.passwordCost, address);
    if (!(await ctx.store.createUser(user, hash, now))) {
      throw refuse('name_taken', `The name ${user} is taken; choose another.`);
    }
    ctx.log.info({ user, address }, 'account registered');
  } else {
    // Reserved before the hash, so attempts sent at once count before any of them is checked.
    const reservation = await ctx.lockout.reserve(user, address);
    if (!reservation.ok) {
      throw refuse(
        'locked_out',
        reservation.inFlight
          ? `Too many login attempts for ${user} at once from your address; try again in ${reservation.seconds} s.`
          : `Too many wrong passwords for ${user}; try again in ${reservation.seconds} s.`,
        { retryAfter: reservation.seconds },
      );
    }
    let ok: boolean;
    let stored: string | null = null;
    try {
      const record = await ctx.store.getUser(user);
      stored = record?.passwordHash ?? null;
      ok = stored
        ? await verifyPassword(auth.password, stored, address)
        : (await burnPasswordCheck(auth.password, ctx.options.passwordCost, address), false);
    } catch (err) {
      await ctx.lockout.settle(user, address, 'abandoned').catch(() => undefined);
      throw err;
    }
    const lockedFor = await ctx.lockout.settle(user, address, ok ? 'succeeded' : 'failed');
    if (!ok) {
      if (lockedFor > 0) {
        ctx.log.warn({ user, address }, 'login locked out');
        throw refuse(
          'locked_out',
          `Wrong password ${ctx.options.lockoutAttempts} times: ${user} is locked from your address for ${lockedFor} s.`,
          { retryAfter: lockedFor },
        );
      }
      throw refuse('bad_credentials', 'Wrong user name or password.');
    }
    if (stored && needsRehash(stored, ctx.options.passwordCost)) await rehash(ctx, user, stored, auth.password, address);
  }

  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  await ctx.store.createSession({ tokenHash, user, createdAt: now, lastUsedAt: now });
  // A user's tokens are bounded: the least recently used beyond the limit stop working.
  await ctx.store.pruneSessions(user, ctx.options.sessionsPerUser);
  socket.data = { user, sessionId: crypto.randomUUID(), tokenHash };
  (socket as unknown as { token: string }).token = token;
}

export function sessionToken(socket: ChatSocket): string {
  return (socket as unknown as { token: string }).token;
}

export function handshakeMiddleware(ctx: ServerContext) {
  return (socket: ChatSocket, next: (err?: Error) => void): void => {
    authenticate(ctx, socket).then(
      () => {
        // Logged in: the connection's login deadline is off (its slot was counted when it was accepted).
        ctx.connections.loggedIn(socket.request.socket);
        next();
      },
      (err: unknown) => {
        if (err instanceof Error && 'data' in err) return next(err);
        if (err instanceof HashingBusy) return next(refuse('rate_limited', err.message, { retryAfter: err.retryAfter }));
        const unavailable = unavailableMessage(ctx, err);
        if (unavailable) {
          ctx.log.warn({ err: (err as Error).message }, 'login refused: a service is out of reach');
          return next(refuse('unavailable', unavailable, { retryAfter: UNAVAILABLE_RETRY_S }));
        }
        ctx.log.error({ err }, 'handshake failed');
        next(refuse('internal', 'The server could not log you in just now; try again.'));
      },
    );
  };
}
