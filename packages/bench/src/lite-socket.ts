/**
 * A minimal socket.io client (engine.io v4 over one websocket, text packets, default namespace)
 * for load generation. It speaks the same wire format as socket.io-client:
 *   server -> `0{...}` open; client -> `40{auth}` connect; server -> `40{sid}` or `44{error}`;
 *   `42["event",payload]` events, `42<id>[...]` with an ack, `43<id>[reply]` acks; `2`/`3` ping/pong.
 * It costs a fraction of socket.io-client per connection, so one load process can drive
 * thousands of sessions and the server (or the relay, which speaks the same format) stays the
 * bottleneck. Both targets are driven by this same code.
 */
import WebSocket from 'ws';

export interface LiteConnectOptions {
  /** http://host:port of the server. */
  url: string;
  /** The handshake `auth` (for tui-chat: {user, password, register?}). */
  auth: Record<string, unknown>;
  /** Source address, to spread many connections over 127.0.0.x. */
  localAddress?: string;
  /** Resolve on this server event after connecting (tui-chat: 'session:ready'). */
  readyEvent?: string;
  /** Decode the ready event's payload and keep it in `readyData` (tui-chat: the session token). */
  keepReady?: boolean;
  timeoutMs?: number;
}

type Handler = (payload: unknown) => void;

export class ConnectError extends Error {
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
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
  readyData: unknown = undefined;

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
      let settled = false;
      const timer = setTimeout(() => fail(new ConnectError('connect timed out')), options.timeoutMs ?? 60_000);
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(socket);
      };
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.close();
        reject(err);
      };
      if (options.readyEvent) {
        const keep = options.keepReady === true;
        socket.on(options.readyEvent, keep ? (payload) => ((socket.readyData = payload), done()) : done, keep);
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

  /** Registers a handler for a server event; with `parse` false the payload is not decoded (counting only). */
  on(event: string, fn: Handler, parse = true): void {
    this.handlers.set(event, { fn, parse });
  }

  off(event: string): void {
    this.handlers.delete(event);
  }

  private onEvent(text: string): void {
    const m = EVENT_NAME.exec(text);
    if (!m) return;
    const h = this.handlers.get(m[1]!);
    if (!h) return;
    if (!h.parse) {
      h.fn(undefined);
      return;
    }
    const start = text.indexOf('[');
    const arr = JSON.parse(text.slice(start)) as unknown[];
    h.fn(arr[1]);
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

  emit(event: string, payload: unknown): void {
    this.ws.send(`42${JSON.stringify([event, payload])}`);
  }

  /** Sends an event with an ack; resolves with the reply. Rejects when the socket closes first. */
  emitWithAck<T = unknown>(event: string, payload: unknown): Promise<T> {
    const id = this.nextAck++;
    return new Promise<T>((resolve, reject) => {
      if (!this.open) {
        reject(new Error('socket is closed'));
        return;
      }
      this.acks.set(id, resolve as (r: unknown) => void);
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** Sends an event with an ack and calls `cb` with the reply (no promise, for hot loops). */
  emitAck(event: string, payload: unknown, cb: (reply: unknown) => void): void {
    const id = this.nextAck++;
    this.acks.set(id, cb);
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
