/**
 * A login's life, from the password (or a remembered token) to the session ending: started,
 * ready, refused, ended by the server, logged out or quit. ChatClient owns the parts (connection,
 * state, the session itself) and hands this the few it needs; the login under way and the
 * remembered device token live here.
 */
import { normalizeName, type ChatError, type SessionInfo } from '@tui-chat/protocol';
import { serversPhrase, type ChatClientOptions } from './client-options.js';
import type { Connection } from './connection.js';
import { connectingState } from './connection-state.js';
import type { ClientContext } from './context.js';
import { DeviceLogin } from './device-login.js';
import { attachEvents } from './events/index.js';
import type { IdleWatch } from './idle.js';
import { loggedOutState } from './initial-state.js';
import { PendingLogin } from './pending-login.js';
import { emitRequest } from './request.js';
import type { ServerWatch } from './server-watch.js';
import { sessionReady } from './session-ready.js';
import { loadSocketIo } from './socket-io.js';
import type { StateStore } from './state-store.js';
import type { LoginRequest } from './types.js';

const QUIT_LOGOUT_TIMEOUT_MS = 2000;

export interface LoginParts {
  options: ChatClientOptions;
  store: StateStore;
  connection: Connection;
  ctx: ClientContext;
  idle: IdleWatch;
  watch: ServerWatch;
  isClosed: () => boolean;
  /** Ends the session in place (see ChatClient.resetSession); `user`: a login for this user starts. */
  resetSession: (user?: string) => void;
  close: () => void;
}

export class LoginFlow {
  private readonly pending = new PendingLogin();
  /** "Remember this device": the token of the login under way, kept or forgotten. */
  private readonly device: DeviceLogin;
  /** A logout or quit of our own is under way: the server's "session ended" is expected, not news. */
  private leaving = false;

  constructor(private readonly parts: LoginParts) {
    this.device = new DeviceLogin(parts.options.stateDir, parts.options.display);
  }

  /** A remembered session for this server (and `user`, if given), logged in without a password. */
  resume(user?: string): Promise<boolean> {
    const kept = this.device.load(user);
    if (!kept) return Promise.resolve(false);
    return this.start({ user: kept.user, password: '', remember: true }, kept.token);
  }

  async start(request: LoginRequest, token: string | null): Promise<boolean> {
    const { store, connection, ctx } = this.parts;
    this.pending.settle(false);
    this.parts.resetSession(normalizeName(request.user));
    this.device.begin(request.user, request.remember === true, token);
    store.update(connectingState);
    if (store.get().registrationOpen === null) void this.parts.watch.check();
    // Connecting shows at once (what is typed meanwhile waits for the chat screen); the network
    // code may still be loading. A newer login or a close while it loads wins.
    const serial = this.pending.next();
    await loadSocketIo();
    if (this.parts.isClosed() || !this.pending.isCurrent(serial)) return false;
    return this.pending.wait(() => connection.open(request, (socket) => attachEvents(socket, ctx), token));
  }

  async ready(info: SessionInfo, first: boolean): Promise<void> {
    const { ctx } = this.parts;
    this.parts.idle.start(info.idleTimeoutSeconds);
    if (first) this.device.ready(info.user, info.token, (problem) => ctx.respond('error', problem));
    await sessionReady(ctx, info, first, () => this.pending.settle(true));
  }

  failed(error: ChatError | null, cause: string): void {
    const message = this.device.refused(error) ?? (error ? error.message : `Cannot reach ${serversPhrase(this.parts.options)} (${cause}).`);
    this.parts.resetSession();
    const retryAt = error?.retryAfter ? Date.now() + error.retryAfter * 1000 : null;
    this.parts.store.update((s) => ({ ...loggedOutState(s), loginError: message, loginRetryAt: retryAt }));
    this.pending.settle(false);
  }

  /** The server ended the session (idle timeout, expired token, logged out): back to the login screen. */
  ended(message: string): void {
    if (this.leaving) return;
    // The token no longer works (idle timeout, logged out elsewhere): nothing to remember.
    this.device.forget();
    this.parts.resetSession();
    this.parts.store.update((s) => ({ ...loggedOutState(s), connection: 'offline', loginError: message }));
    this.pending.settle(false);
  }

  async logout(): Promise<void> {
    this.leaving = true;
    try {
      if (this.parts.connection.isReady) await this.parts.ctx.request('session:logout', {});
    } catch {
      // Not answered: the session ends here anyway; the server forgets it after the idle timeout.
    } finally {
      // Logged out on purpose: this device stops remembering the session, answered or not.
      this.device.forget();
      this.parts.resetSession();
      this.pending.settle(false);
      this.parts.store.update((s) => ({ ...loggedOutState(s), connection: 'offline' }));
      this.leaving = false;
    }
  }

  async quit(): Promise<void> {
    this.leaving = true;
    const { connection } = this.parts;
    // A remembered session outlives /quit (the next start logs in with it); any other ends here.
    if (connection.isReady && !this.device.keepsSession) {
      await emitRequest(connection.current, 'session:logout', {}, QUIT_LOGOUT_TIMEOUT_MS).catch(() => undefined);
    }
    this.parts.close();
    this.parts.store.update((s) => ({ ...s, quitRequested: true }));
  }

  /** The client closes: whoever waits for a login hears it failed. */
  close(): void {
    this.pending.settle(false);
  }
}
