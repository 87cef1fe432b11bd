/**
 * For the outage tests: a TCP link to a service (Redis, PostgreSQL) that a test can cut, as a
 * network partition would, and mend; and a ChatClient that retries quickly.
 */
import net from 'node:net';
import { ChatClient } from '@tui-chat/client';

export interface TcpLink {
  /** Where to connect instead of the service. */
  port: number;
  /** Drops every connection through the link; new ones are dropped at once until mend(). */
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function tcpLink(host: string, port: number): Promise<TcpLink> {
  let up = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = net.connect(port, host);
    open.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of open) s.destroy();
    },
    mend() {
      up = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The same URL with its host and port replaced by the link's. */
export function viaLink(url: string, link: TcpLink): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(link.port);
  return u.toString();
}

/** A client of the node on `port` that reconnects quickly; kept in `clients` for closing. */
export function outageClient(port: number, clients: ChatClient[]): ChatClient {
  const c = new ChatClient({
    url: `http://127.0.0.1:${port}`,
    display: `127.0.0.1:${port}`,
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 250 },
    requestTimeoutMs: 5000,
  });
  clients.push(c);
  return c;
}

/** Asks `health` until it answers `status` (a balancer's checks, every 100 ms), bounded. */
export async function untilHealth<T extends { status: number }>(health: () => Promise<T>, status: number, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await health();
    if (got.status === status || Date.now() > end) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}
