/**
 * The socket.io connection: the first login with name and password (or registration), every
 * reconnect with the session token from 'session:ready', so a lost server never asks for the
 * password again. Reconnects with backoff (socket.io Manager options); reports what happens to
 * the client through ConnectionHandlers.
 */
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { normalizeName, type ChatError, type HandshakeAuth, type SessionInfo } from '@tui-chat/protocol';
import type { ClientSocket } from './request.js';
import type { LoginRequest } from './types.js';

export interface ConnectionHandlers {
  /** The session is up: after the first login (first = true) or after a reconnect. */
  ready(info: SessionInfo, first: boolean): void;
  /** The first login failed: refused by the server (error), or the server could not be reached (error null). */
  loginFailed(error: ChatError | null, cause: string): void;
  /** A reconnect was refused for good (the token is no longer valid). */
  sessionExpired(error: ChatError): void;
  /** The connection is down and being retried; `detail` is a short line for the status bar. */
  retrying(detail: string): void;
}

/** Backoff defaults: 1 s doubling to 10 s, each delay ±50 %. Overridden by socketOptions. */
export const RECONNECT_DEFAULTS = { reconnectionDelay: 1000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 };

/** Handshake refusals that a later retry may get past (everything else ends the session). */
const TRANSIENT: readonly ChatError['code'][] = ['internal', 'rate_limited'];

export class Connection {
  private socket: ClientSocket | null = null;
  private user = '';
  private token: string | null = null;
  private credentials: LoginRequest | null = null;
  private sessionStarted = false;
  private ready = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;

  constructor(
    private readonly url: string,
    private readonly socketOptions: Partial<ManagerOptions & SocketOptions>,
    private readonly handlers: ConnectionHandlers,
  ) {}

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
    const socket: ClientSocket = io(this.url, {
      ...RECONNECT_DEFAULTS,
      ...this.socketOptions,
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      auth: (cb: (data: object) => void) => cb(this.auth()),
    });
    this.socket = socket;
    attach(socket);
    this.wire(socket);
    socket.connect();
  }

  /** Disconnects for good (no reconnection) and forgets the session. */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    this.token = null;
    this.credentials = null;
    this.sessionStarted = false;
    this.ready = false;
    this.retries = 0;
    if (socket) {
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
    }
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
      const first = !this.sessionStarted;
      this.sessionStarted = true;
      this.handlers.ready(info, first);
    });

    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      if (socket !== this.socket) return;
      const refusal = asChatError(err.data);
      if (!this.sessionStarted) {
        this.close();
        this.handlers.loginFailed(refusal, err.message);
        return;
      }
      if (refusal && !TRANSIENT.includes(refusal.code)) {
        this.close();
        this.handlers.sessionExpired(refusal);
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
      // 'io server disconnect' is not retried by socket.io; every other reason is.
      if (reason === 'io server disconnect') this.scheduleRetry(socket);
      this.handlers.retrying('server lost; retrying');
    });

    socket.io.on('reconnect_attempt', (attempt) => {
      if (socket === this.socket && this.sessionStarted) this.handlers.retrying(`server lost; retrying (attempt ${attempt})`);
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
