/**
 * The baseline: a minimal chat relay on the raw `ws` library. No auth, no storage, no checks.
 * It speaks just enough of the socket.io wire format (see lite-socket.ts) that the very same
 * load drives it: a handshake names the user, `message:send` is acknowledged and forwarded to
 * the recipient's sockets, `broadcast:send` goes to every other socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Relay {
  listen(port?: number, host?: string): Promise<AddressInfo>;
  connections(): number;
  close(): Promise<void>;
}

interface Conn {
  ws: WebSocket;
  user: string | null;
}

export function createRelay(): Relay {
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const byUser = new Map<string, Set<Conn>>();
  const all = new Set<Conn>();
  let nextId = 0;
  let sid = 0;

  const conversation = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

  wss.on('connection', (ws) => {
    const conn: Conn = { ws, user: null };
    all.add(conn);
    ws.send(`0{"sid":"r${++sid}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":65536}`);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === '3') return;
      if (text.startsWith('40')) {
        const auth = JSON.parse(text.slice(2) || '{}') as { user?: string };
        conn.user = String(auth.user ?? `anon${sid}`);
        let set = byUser.get(conn.user);
        if (!set) byUser.set(conn.user, (set = new Set()));
        set.add(conn);
        ws.send(`40{"sid":"s${sid}"}`);
        ws.send(`42${JSON.stringify(['session:ready', { user: conn.user, token: '', idleTimeoutSeconds: 0 }])}`);
        return;
      }
      if (!text.startsWith('42') || !conn.user) return;
      let i = 2;
      while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const ackId = text.slice(2, i);
      const [event, payload] = JSON.parse(text.slice(i)) as [string, Record<string, unknown>];
      const from = conn.user;
      if (event === 'message:send') {
        const to = String(payload.to);
        const message = {
          id: ++nextId,
          conversation: conversation(from, to),
          seq: nextId,
          from,
          to,
          text: payload.text,
          at: Date.now(),
          clientId: payload.clientId,
          kind: 'direct',
        };
        const targets = byUser.get(to);
        if (ackId) ws.send(`43${ackId}${JSON.stringify([{ ok: true, message, recipientOnline: !!targets, duplicate: false }])}`);
        const frame = `42${JSON.stringify(['message:new', message])}`;
        for (const c of targets ?? []) c.ws.send(frame);
        // The sender's other sessions see it too, as on the chat server.
        for (const c of byUser.get(from) ?? []) if (c !== conn) c.ws.send(frame);
      } else if (event === 'broadcast:send') {
        const message = { from, text: payload.text, at: Date.now(), clientId: payload.clientId };
        const recipients = [...byUser.keys()].filter((u) => u !== from);
        if (ackId) ws.send(`43${ackId}${JSON.stringify([{ ok: true, recipients }])}`);
        const frame = `42${JSON.stringify(['broadcast:new', message])}`;
        for (const c of all) if (c !== conn) c.ws.send(frame);
      } else if (ackId) {
        ws.send(`43${ackId}${JSON.stringify([{ ok: false, error: { code: 'bad_request', message: 'relay' } }])}`);
      }
    });
    ws.on('close', () => {
      all.delete(conn);
      if (conn.user) {
        const set = byUser.get(conn.user);
        set?.delete(conn);
        if (set && set.size === 0) byUser.delete(conn.user);
      }
    });
    ws.on('error', () => undefined);
  });

  return {
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      });
    },
    connections: () => all.size,
    close() {
      return new Promise<void>((resolve) => {
        for (const c of all) c.ws.terminate();
        wss.close(() => httpServer.close(() => resolve()));
        httpServer.closeAllConnections?.();
      });
    },
  };
}
