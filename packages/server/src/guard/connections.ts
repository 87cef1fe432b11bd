/**
 * TCP connections, counted and timed from the moment they are accepted, before any HTTP or
 * socket.io work: at most `perAddress` open per address (an IPv6 /64 counts as one address), at
 * most `pendingPerAddress` of them not logged in yet, and each must finish its login within
 * `loginDeadlineMs` or it is closed. A few connections over `perAddress` (OVER_SLACK) are let
 * through to the login only to be refused there with a sentence a person can read (the client
 * shows it); beyond those, connections are closed at once with an HTTP 503 and the same sentence. A slot is given back when the TCP socket closes, whatever
 * happened on it (a login abandoned during the password hash, a half-finished handshake, a
 * plain HTTP request): the socket's 'close' event is the one thing every path ends in.
 */
import type net from 'node:net';
import { addressKey } from './address-key.js';

export interface ConnectionGuardOptions {
  /** Open connections per address (logged in or not). */
  perAddress: number;
  /** Connections per address that have not logged in yet. */
  pendingPerAddress: number;
  /** A connection not logged in this long after it was accepted is closed. */
  loginDeadlineMs: number;
  /** IPv6 addresses count by this prefix length. */
  ipv6Prefix: number;
}

interface Tracked {
  key: string;
  timer: NodeJS.Timeout | null;
  /** Accepted over `perAddress`: its login is refused with a sentence. */
  over: boolean;
}

/** Connections over the cap that still reach the login, to be told why they are refused. */
export const OVER_SLACK = 8;

/** What a refused connection is told before it is closed (it may be a browser or curl as well as a client). */
const BUSY = 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nRetry-After: 10\r\n\r\n';

export class ConnectionGuard {
  private readonly open = new Map<string, number>();
  private readonly pending = new Map<string, number>();
  private readonly tracked = new WeakMap<net.Socket, Tracked>();
  /** Connections closed for want of a login in time, and refused for the caps (for logs and tests). */
  readonly counts = { expired: 0, refused: 0 };

  constructor(readonly options: ConnectionGuardOptions) {}

  /** Counts every connection `server` accepts; runs before the server's own listeners. */
  attach(server: net.Server): void {
    server.prependListener('connection', (socket: net.Socket) => this.accept(socket));
  }

  key(address: string): string {
    return addressKey(address, this.options.ipv6Prefix);
  }

  private accept(socket: net.Socket): void {
    const key = this.key(socket.remoteAddress ?? 'unknown');
    const open = this.open.get(key) ?? 0;
    const pending = this.pending.get(key) ?? 0;
    if (open >= this.options.perAddress + OVER_SLACK || pending >= this.options.pendingPerAddress) {
      this.counts.refused++;
      const why =
        open >= this.options.perAddress
          ? this.tooMany()
          : `Too many connections logging in at once from your address (at most ${this.options.pendingPerAddress}); try again in a moment.`;
      socket.on('error', () => undefined);
      socket.end(`${BUSY}${why}\n`);
      socket.destroySoon?.();
      return;
    }
    bump(this.open, key, 1);
    bump(this.pending, key, 1);
    const entry: Tracked = { key, timer: null, over: open >= this.options.perAddress };
    entry.timer = setTimeout(() => {
      entry.timer = null;
      bump(this.pending, key, -1);
      this.counts.expired++;
      socket.destroy();
    }, this.options.loginDeadlineMs);
    entry.timer.unref();
    this.tracked.set(socket, entry);
    socket.once('close', () => {
      bump(this.open, key, -1);
      if (entry.timer) {
        clearTimeout(entry.timer);
        entry.timer = null;
        bump(this.pending, key, -1);
      }
    });
  }

  tooMany(): string {
    return `Too many connections from your address (at most ${this.options.perAddress}); close some and try again.`;
  }

  private entry(socket: net.Socket | undefined): Tracked | undefined {
    if (!socket) return undefined;
    // Over TLS the request's socket is the TLS socket around the one accepted.
    return this.tracked.get(socket) ?? this.tracked.get((socket as unknown as { _parent?: net.Socket })._parent as net.Socket);
  }

  /** Whether this connection came over the cap: its login is to be refused, before any work. */
  over(socket: net.Socket | undefined): boolean {
    return this.entry(socket)?.over === true;
  }

  /** The connection logged in: no deadline, and it no longer counts as pending. */
  loggedIn(socket: net.Socket | undefined): void {
    const entry = this.entry(socket);
    if (!entry?.timer) return;
    clearTimeout(entry.timer);
    entry.timer = null;
    bump(this.pending, entry.key, -1);
  }

  /** Open and not-yet-logged-in connections of an address (for tests and logs). */
  of(address: string): { open: number; pending: number } {
    const key = this.key(address);
    return { open: this.open.get(key) ?? 0, pending: this.pending.get(key) ?? 0 };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
