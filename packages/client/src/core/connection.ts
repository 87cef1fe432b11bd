/**
 * The socket.io connection: the first login with name and password (or registration), every
 * reconnect with the session token from 'session:ready', so a lost server never asks for the
 * password again. Reports what happens to the client through ConnectionHandlers.
 *
 * One server: socket.io's Manager reconnects to it with backoff. Several servers (the nodes of a
 * cluster, which share sessions): the connection moves to the next server in the list when its
 * server is lost or cannot be reached, going round the list with backoff after each full round;
 * the first login, too, tries each server in turn before it gives up.
 */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { normalizeName, type ChatError, type HandshakeAuth, type SessionInfo } from '@tui-chat/protocol';
import type { ClientSocket } from './request.js';
import { socketIo } from './socket-io.js';
import type { LoginRequest } from './types.js';

/** One server to connect to. */
export interface ServerTarget {
  url: string;
  /** host:port, for status lines. */
  display: string;
}

export interface ConnectionHandlers {
  /** The session is up: after the first login (first = true) or after a reconnect. */
  ready(info: SessionInfo, first: boolean): void;
  /** The first login failed: refused by the server (error), or the server could not be reached (error null). */
  loginFailed(error: ChatError | null, cause: string): void;
  /** A reconnect was refused for good (the token is no longer valid). */
  sessionExpired(error: ChatError): void;
  /** The connection is down and being retried; `detail` is a short line for the status bar. */
  retrying(detail: string): void;
  /** Several servers: the session is up on this one (told before ready()). */
  serverChanged?(server: ServerTarget): void;
}

/** Backoff defaults: 1 s doubling to 10 s, each delay ±50 %. Overridden by socketOptions. */
export const RECONNECT_DEFAULTS = { reconnectionDelay: 1000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 };

/** Handshake refusals that a later retry may get past (everything else ends the session). */
const TRANSIENT: readonly ChatError['code'][] = ['internal', 'rate_limited', 'unavailable'];

export class Connection {
  private socket: ClientSocket | null = null;
  private user = '';
  private token: string | null = null;
  private credentials: LoginRequest | null = null;
  private sessionStarted = false;
  private ready = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;
  private readonly servers: readonly ServerTarget[];
  /** The server of the current socket (several servers). */
  private index = 0;
  /** Servers tried since the last session or login start (several servers). */
  private tries = 0;
  private attach: (socket: ClientSocket) => void = () => undefined;

  constructor(
    servers: string | readonly ServerTarget[],
    private readonly socketOptions: Partial<ManagerOptions & SocketOptions>,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.servers = typeof servers === 'string' ? [{ url: servers, display: servers }] : servers;
    if (this.servers.length === 0) throw new Error('Connection needs at least one server');
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
   * new socket before it connects.
   */
  open(login: LoginRequest, attach: (socket: ClientSocket) => void): void {
    this.close();
    this.user = normalizeName(login.user);
    this.credentials = { ...login };
    this.attach = attach;
    this.index = 0;
    this.tries = 0;
    this.connectTo(this.index);
  }

  /** A new socket to servers[index]; several servers: no socket.io reconnection, moving on is ours. */
  private connectTo(index: number): void {
    this.dropSocket();
    this.index = index;
    const socket: ClientSocket = socketIo()(this.servers[index]!.url, {
      ...RECONNECT_DEFAULTS,
      ...this.socketOptions,
      ...(this.several ? { reconnection: false } : {}),
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
   * Several servers: the current one is lost or unreachable; try the next after a delay (none
   * for the first move, so a dead node is left at once; backoff after each full round).
   */
  private moveOn(retryAfterSeconds?: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const n = this.servers.length;
    const k = this.tries++;
    const base = this.socketOptions.reconnectionDelay ?? RECONNECT_DEFAULTS.reconnectionDelay;
    const max = this.socketOptions.reconnectionDelayMax ?? RECONNECT_DEFAULTS.reconnectionDelayMax;
    const factor = this.socketOptions.randomizationFactor ?? RECONNECT_DEFAULTS.randomizationFactor;
    let delay = k === 0 ? 0 : Math.min(max, base * 2 ** Math.floor((k - 1) / n));
    delay = delay * (1 + factor * (Math.random() * 2 - 1));
    if (retryAfterSeconds !== undefined) delay = Math.max(delay, retryAfterSeconds * 1000);
    const nextIndex = (this.index + 1) % n;
    this.dropSocket();
    this.index = nextIndex;
    this.handlers.retrying(`server lost; trying ${this.servers[nextIndex]!.display}${k >= n ? `, round ${Math.floor(k / n) + 1}` : ''}`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.sessionStarted || this.credentials) this.connectTo(nextIndex);
    }, delay);
  }

  /** Disconnects for good (no reconnection) and forgets the session. */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.token = null;
    this.credentials = null;
    this.sessionStarted = false;
    this.ready = false;
    this.retries = 0;
    this.tries = 0;
    this.dropSocket();
  }

  private auth(): HandshakeAuth {
    if (this.token) return { user: this.user, token: this.token };
    const c = this.credentials ?? { user: this.user, password: '' };
    return c.register ? { user: c.user, password: c.password, register: true } : { user: c.user, password: c.password };
  }

  private wire(socket: ClientSocket): void {
    socket.on('session:ready', (info) => {
      if (socket !== this.socket) return;
      this.token = info.token;
      this.user = info.user;
      this.credentials = null; // the password is not kept once there is a token
      this.ready = true;
      this.retries = 0;
      this.tries = 0;
      const first = !this.sessionStarted;
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
      if (refusal && !TRANSIENT.includes(refusal.code)) {
        this.close();
        this.handlers.sessionExpired(refusal);
        return;
      }
      if (this.several) {
        // Unreachable, or refused for now: another node may do better.
        this.moveOn(refusal?.retryAfter);
        return;
      }
      if (refusal) {
        // The server answered but refused for now: socket.io does not retry that by itself.
        this.scheduleRetry(socket, refusal.retryAfter);
        this.handlers.retrying(`refused: ${refusal.message} Retrying.`);
      }
      // Unreachable: the Manager retries with backoff by itself ('reconnect_attempt' below).
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
      if (this.several) {
        this.moveOn();
        return;
      }
      // 'io server disconnect' is not retried by socket.io; every other reason is.
      if (reason === 'io server disconnect') this.scheduleRetry(socket);
      this.handlers.retrying('server lost; retrying');
    });

    socket.io.on('reconnect_attempt', (attempt) => {
      if (socket === this.socket && this.sessionStarted) this.handlers.retrying(`server lost; retry ${attempt}`);
    });
  }

  private scheduleRetry(socket: ClientSocket, afterSeconds?: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const base = this.socketOptions.reconnectionDelay ?? RECONNECT_DEFAULTS.reconnectionDelay;
    const max = this.socketOptions.reconnectionDelayMax ?? RECONNECT_DEFAULTS.reconnectionDelayMax;
    const delay = afterSeconds !== undefined ? afterSeconds * 1000 : Math.min(max, base * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (socket === this.socket && !socket.connected) socket.connect();
    }, delay);
  }
}

function asChatError(data: unknown): ChatError | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Partial<ChatError>;
  return typeof d.code === 'string' && typeof d.message === 'string' ? (d as ChatError) : null;
}
