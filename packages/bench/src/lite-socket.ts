/**
 * A minimal socket.io client (engine.io v4 over one websocket, text packets, default namespace)
 * for load generation. It speaks the same wire format as socket.io-client:
 *   server -> `0{...}` open; client -> `40{auth}` connect; server -> `40{sid}` or `44{error}`;
 *   `42["event",payload]` events, `42<id>[...]` with an ack, `43<id>[reply]` acks; `2`/`3` ping/pong.
 * It costs a fraction of socket.io-client per connection, so one load process can drive
 * thousands of sessions and the server (or the relay, which speaks the same format) stays the
 * bottleneck. Both targets are driven by this same code.
 */
import type { ChatError, ClientToServerEvents, HandshakeAuth, ServerToClientEvents, SessionInfo } from '@tui-chat/protocol';
import WebSocket from 'ws';
import { settleOnce } from './settle.js';

/** Events the server sends, and what each carries (the protocol's map). */
export type ServerEvent = keyof ServerToClientEvents;
export type EventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
/** Requests, their payloads and their acknowledgements (the protocol's map). */
export type Request = keyof ClientToServerEvents;
export type RequestArgs<E extends Request> = Parameters<ClientToServerEvents[E]>[0];
export type RequestReply<E extends Request> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export interface LiteConnectOptions {
  /** http://host:port of the server. */
  url: string;
  /** The handshake `auth`: {user, password, register?} or {user, token}; the relays read only `user`. */
  auth: HandshakeAuth;
  /** Source address, to spread many connections over 127.0.0.x. */
  localAddress?: string;
  /** Resolve on this server event after connecting, not on the handshake's answer. */
  readyEvent?: 'session:ready';
  /** Decode the ready event's payload and keep it in `readyData` (tui-chat: the session token). */
  keepReady?: boolean;
  timeoutMs?: number;
}

type Handler = (payload: never) => void;

/** A refused or failed connection; `data` is what a refused handshake carried (a ChatError from tui-chat). */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  /** The refusal's code and retryAfter, when the server refused the handshake. */
  get refusal(): Partial<ChatError> | undefined {
    return typeof this.data === 'object' && this.data !== null ? (this.data as Partial<ChatError>) : undefined;
  }
}

const EVENT_NAME = /^42\d*\["((?:[^"\\]|\\.)*)"/;

export class LiteSocket {
  private nextAck = 0;
  private readonly acks = new Map<number, (reply: unknown) => void>();
  private readonly handlers = new Map<string, { fn: Handler; parse: boolean }>();
  private closed = false;
  /** Frames received (any kind), for sanity checks. */
  framesIn = 0;
  /** The ready event's payload, with `keepReady`. */
  readyData: SessionInfo | undefined = undefined;

  private constructor(readonly ws: WebSocket) {}

  static connect(options: LiteConnectOptions): Promise<LiteSocket> {
    const base = options.url.replace(/^http/, 'ws').replace(/\/$/, '');
    const ws = new WebSocket(`${base}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
      localAddress: options.localAddress,
      handshakeTimeout: options.timeoutMs ?? 60_000,
    });
    const socket = new LiteSocket(ws);
    return new Promise<LiteSocket>((resolve, reject) => {
      const { done: settle, fail } = settleOnce(
        resolve,
        reject,
        options.timeoutMs ?? 60_000,
        () => new ConnectError('connect timed out'),
        () => socket.close(),
      );
      const done = () => settle(socket);
      if (options.readyEvent) {
        const keep = options.keepReady === true;
        if (keep) socket.on(options.readyEvent, (payload) => ((socket.readyData = payload), done()));
        else socket.count(options.readyEvent, done);
      }
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        socket.framesIn++;
        const c0 = text.charCodeAt(0);
        if (c0 === 0x30 /* 0: open */) {
          ws.send(`40${JSON.stringify(options.auth)}`);
        } else if (c0 === 0x32 /* 2: ping */) {
          ws.send('3');
        } else if (c0 === 0x34 /* 4: socket.io packet */) {
          const kind = text.charCodeAt(1);
          if (kind === 0x32 /* event */) socket.onEvent(text);
          else if (kind === 0x33 /* ack */) socket.onAck(text);
          else if (kind === 0x30 /* connected */) {
            if (!options.readyEvent) done();
          } else if (kind === 0x34 /* connect_error */) {
            let data: unknown;
            try {
              data = JSON.parse(text.slice(2));
            } catch {
              data = text.slice(2);
            }
            const d = data as { message?: string; data?: unknown };
            fail(new ConnectError(d.message ?? 'connect_error', d.data));
          } else if (kind === 0x31 /* disconnect */) {
            socket.close();
          }
        }
      });
      ws.on('error', (err) => fail(err));
      ws.on('close', () => {
        socket.closed = true;
        fail(new ConnectError('closed before it was ready'));
      });
    });
  }

  /** Registers the handler of a server event (one per event), called with its decoded payload. */
  on<E extends ServerEvent>(event: E, fn: (payload: EventPayload<E>) => void): void {
    this.handlers.set(event, { fn, parse: true });
  }

  /** Registers a handler that is only told the event came: its payload is not decoded (counting, cheaply). */
  count(event: ServerEvent, fn: () => void): void {
    this.handlers.set(event, { fn, parse: false });
  }

  off(event: ServerEvent): void {
    this.handlers.delete(event);
  }

  private onEvent(text: string): void {
    const m = EVENT_NAME.exec(text);
    if (!m) return;
    const h = this.handlers.get(m[1]!);
    if (!h) return;
    if (!h.parse) {
      (h.fn as () => void)();
      return;
    }
    const start = text.indexOf('[');
    const arr = JSON.parse(text.slice(start)) as never[];
    h.fn(arr[1]!);
  }

  private onAck(text: string): void {
    let i = 2;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const id = Number(text.slice(2, i));
    const resolve = this.acks.get(id);
    if (!resolve) return;
    this.acks.delete(id);
    const arr = JSON.parse(text.slice(i)) as unknown[];
    resolve(arr[0]);
  }

  /** Calls `fn` once when the connection is gone (whoever closed it). */
  onClose(fn: () => void): void {
    if (this.ws.readyState === WebSocket.CLOSED) fn();
    else this.ws.once('close', fn);
  }

  get open(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a request; resolves with its acknowledgement. Rejects when the socket closes first. */
  emitWithAck<E extends Request>(event: E, payload: RequestArgs<E>): Promise<RequestReply<E>> {
    const id = this.nextAck++;
    return new Promise<RequestReply<E>>((resolve, reject) => {
      if (!this.open) {
        reject(new Error('socket is closed'));
        return;
      }
      this.acks.set(id, resolve as (r: unknown) => void);
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** Sends a request and calls `cb` with its acknowledgement (no promise, for hot loops). */
  emitAck<E extends Request>(event: E, payload: RequestArgs<E>, cb: (reply: RequestReply<E>) => void): void {
    const id = this.nextAck++;
    this.acks.set(id, cb as (reply: unknown) => void);
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ws.close();
    } catch {
      // Closing a socket that never opened.
    }
    this.acks.clear();
  }

  /** Closes and resolves once the TCP connection is gone. */
  closeAndWait(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.closed = false;
      this.close();
      setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000).unref();
    });
  }
}
