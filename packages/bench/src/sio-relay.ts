/**
 * A second baseline for the throughput scenario: the same minimal relay as relay.ts, but on
 * socket.io (websocket only, acks, a room per user) instead of raw ws. It separates what
 * socket.io itself costs from what the chat server's own work (auth, checks, storage) costs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface SioRelay {
  listen(): Promise<AddressInfo>;
  connections(): number;
  close(): Promise<void>;
}

export function createSioRelay(): SioRelay {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });
  let nextId = 0;
  io.on('connection', (socket) => {
    const user = String((socket.handshake.auth as { user?: unknown }).user ?? socket.id);
    void socket.join(`user:${user}`);
    socket.emit('session:ready', { user, token: '', idleTimeoutSeconds: 0 });
    socket.on('message:send', (payload: { to: string; text: string; clientId: string }, ack?: (reply: unknown) => void) => {
      const id = ++nextId;
      const message = {
        id,
        conversation: '',
        seq: id,
        from: user,
        to: payload.to,
        text: payload.text,
        at: Date.now(),
        clientId: payload.clientId,
        kind: 'direct',
      };
      ack?.({ ok: true, message, recipientOnline: true, duplicate: false });
      io.to(`user:${payload.to}`).emit('message:new', message);
    });
    socket.on('broadcast:send', (payload: { text: string; clientId: string }, ack?: (reply: unknown) => void) => {
      ack?.({ ok: true, recipients: [] });
      socket.broadcast.emit('broadcast:new', { from: user, text: payload.text, at: Date.now(), clientId: payload.clientId });
    });
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(0, '127.0.0.1', () => resolve(httpServer.address() as AddressInfo));
      }),
    connections: () => io.engine.clientsCount,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
