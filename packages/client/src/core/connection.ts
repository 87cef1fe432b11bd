/**
 * The socket.io connection: the first login with name and password (or registration), every
 * reconnect with the session token from 'session:ready', so a lost server never asks for the
 * password again. Reports what happens to the client through ConnectionHandlers.
 *
 * Retrying is ours, not socket.io's (its Manager's reconnection is off): the first retry goes at
 * once, the next ones after a short jittered delay (backoff.ts), each on a new socket; the client
 * is told when the next one starts (for a countdown) and may start it at once (retryNow). Several
 * servers (the nodes of a cluster, which share sessions): each retry goes to the next server in
 * the list, the delay growing after each full round; the first login, too, tries each server in
 * turn before it gives up.
 */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { isRetryable, normalizeName, type HandshakeAuth } from '@tui-chat/protocol';
import { RECONNECT_BACKOFF, retryDelay, STABLE_MS, stepOf, type Backoff } from './backoff.js';
import { asChatError, retryDetail, type ConnectionHandlers, type ServerTarget } from './connection-handlers.js';
import type { ClientSocket } from './request.js';
import { socketIo } from './socket-io.js';
import type { LoginRequest } from './types.js';

export class Connection {
  private socket: ClientSocket | null = null;
  private user = '';
  private token: string | null = null;
  private credentials: LoginRequest | null = null;
  private sessionStarted = false;
  private ready = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly servers: readonly ServerTarget[];
  private readonly backoff: Backoff;
  /** The server of the current socket, or of the next attempt. */
  private index = 0;
  /** Attempts since the last session came up (or since the first login started). */
  private tries = 0;
  /** When the last session came up (Date.now()). */
  private upSince = 0;
  /** Why the connection is down, for the status line. */
  private reason = 'server lost';
  private attach: (socket: ClientSocket) => void = () => undefined;

  /**
   * `socketOptions` go to socket.io-client; its `reconnectionDelay` and `reconnectionDelayMax`,
   * when given, are the retry schedule's base and cap (RECONNECT_BACKOFF otherwise).
   */
  constructor(
    servers: string | readonly ServerTarget[],
    private readonly socketOptions: Partial<ManagerOptions & SocketOptions>,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.servers = typeof servers === 'string' ? [{ url: servers, display: servers }] : servers;
    if (this.servers.length === 0) throw new Error('Connection needs at least one server');
    this.backoff = {
      baseMs: socketOptions.reconnectionDelay ?? RECONNECT_BACKOFF.baseMs,
      capMs: socketOptions.reconnectionDelayMax ?? RECONNECT_BACKOFF.capMs,
    };
  }

  private get several(): boolean {
    return this.servers.length > 1;
  }

  /** The server in use (or last tried). */
  get server(): ServerTarget {
    return this.servers[this.index]!;
  }

  /** The current socket (null when closed), for requests. */
  get current(): ClientSocket | null {
    return this.socket;
  }

  /** The user this connection logs in as (normalised), '' when closed. */
  get userName(): string {
    return this.socket ? this.user : '';
  }

  /** True from 'session:ready' until the connection drops. */
  get isReady(): boolean {
    return this.ready && this.socket?.connected === true;
  }

  /**
   * Opens a fresh connection that logs in with `login`; `attach` adds the chat event handlers to the
   * new socket before it connects. `token`: a session token kept from an earlier run ("remember
   * this device") to log in with instead of the password; a refusal is a failed first login.
   */
  open(login: LoginRequest, attach: (socket: ClientSocket) => void, token: string | null = null): void {
    this.close();
    this.user = normalizeName(login.user);
    this.credentials = token ? null : { ...login };
    this.token = token;
    this.attach = attach;
    this.index = 0;
    this.tries = 0;
    this.connectTo(this.index);
  }

  /** A new socket to servers[index]; socket.io's own reconnection is off: retrying is ours. */
  private connectTo(index: number): void {
    this.dropSocket();
    this.index = index;
    const socket: ClientSocket = socketIo()(this.servers[index]!.url, {
      ...this.socketOptions,
      reconnection: false,
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      auth: (cb: (data: object) => void) => cb(this.auth()),
    });
    this.socket = socket;
    this.attach(socket);
    this.wire(socket);
    socket.connect();
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
    }
  }

  /**
   * The session's connection is down or was refused for now: the next attempt (to the next
   * server, when there are several) at once the first time, then after the backoff's delay, and
   * never before the server's `retryAfter`.
   */
  private retry(reason: string, retryAfterSeconds?: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropSocket();
    this.reason = reason;
    let delay = retryDelay(stepOf(this.tries, this.servers.length), this.backoff);
    if (retryAfterSeconds !== undefined) delay = Math.max(delay, retryAfterSeconds * 1000);
    if (this.several) this.index = (this.index + 1) % this.servers.length;
    if (delay <= 0) {
      this.attempt();
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt();
    }, delay);
    this.handlers.retrying({ detail: this.detail(false), at: Date.now() + delay });
  }

  private attempt(): void {
    if (!this.sessionStarted) return;
    this.handlers.retrying({ detail: this.detail(true), at: null });
    this.tries++;
    this.connectTo(this.index);
  }

  /** What the status bar says while the connection is down. */
  private detail(trying: boolean): string {
    return retryDetail(this.reason, trying, this.server, this.tries, this.servers.length);
  }

  /** Starts the waiting retry now (a key in the UI); false when no retry is waiting. */
  retryNow(): boolean {
    if (!this.retryTimer || !this.sessionStarted) return false;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt();
    return true;
  }

  /** Disconnects for good (no reconnection) and forgets the session. */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.token = null;
    this.credentials = null;
    this.sessionStarted = false;
    this.ready = false;
    this.tries = 0;
    this.dropSocket();
  }

  private auth(): HandshakeAuth {
    if (this.token) return { user: this.user, token: this.token };
    const c = this.credentials ?? { user: this.user, password: '' };
    return c.register ? { user: c.user, password: c.password, register: true } : { user: c.user, password: c.password };
  }

  /** A session that was up a while starts the schedule again at once; one lost straight away continues it. */
  private lost(reason: string): void {
    if (Date.now() - this.upSince >= STABLE_MS) this.tries = 0;
    this.retry(reason);
  }

  private wire(socket: ClientSocket): void {
    socket.on('session:ready', (info) => {
      if (socket !== this.socket) return;
      this.token = info.token;
      this.user = info.user;
      this.credentials = null; // the password is not kept once there is a token
      this.ready = true;
      this.upSince = Date.now();
      const first = !this.sessionStarted;
      if (first) this.tries = 0;
      this.sessionStarted = true;
      if (this.several) this.handlers.serverChanged?.(this.server);
      this.handlers.ready(info, first);
    });

    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      if (socket !== this.socket) return;
      const refusal = asChatError(err.data);
      if (!this.sessionStarted) {
        // Several servers: an unreachable one is skipped until each has been tried once.
        if (this.several && !refusal && this.tries < this.servers.length - 1) {
          this.tries++;
          this.connectTo((this.index + 1) % this.servers.length);
          return;
        }
        this.close();
        this.handlers.loginFailed(refusal, err.message);
        return;
      }
      // A refusal a later retry may get past (RETRYABLE_CODES) is retried; any other ends the session.
      if (refusal && !isRetryable(refusal.code)) {
        this.close();
        this.handlers.sessionExpired(refusal);
        return;
      }
      // Unreachable (the reason stays what it was), or refused for now: try again later.
      this.retry(refusal ? `refused: ${refusal.message}` : this.reason, refusal?.retryAfter);
    });

    socket.on('disconnect', (reason) => {
      if (socket !== this.socket) return;
      this.ready = false;
      if (reason === 'io client disconnect') return;
      if (!this.sessionStarted) {
        this.close();
        this.handlers.loginFailed(null, 'the server closed the connection');
        return;
      }
      this.lost(reason === 'io server disconnect' ? 'the server closed the connection' : 'server lost');
    });
  }
}
