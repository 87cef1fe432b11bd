/**
 * What a connection has been sent but not yet taken: the bytes waiting in its WebSocket and TCP
 * buffers and in engine.io's queue. A client that asks for pages and does not read them, or reads
 * slowly, makes these grow; the server stops answering its heavy requests above a soft bound and
 * drops the connection above a hard one, rather than hold its answers in memory without end.
 */
import type { ChatIo, ChatSocket } from '../context.js';
import type { Logger } from 'pino';

/** Above this, heavy requests (pages of messages) wait: "try again in 1 s". */
export const BUFFERED_SOFT_BYTES = 512 * 1024;
/** Above this, the connection is closed (a reader that fell this far behind catches up on reconnect). */
export const BUFFERED_HARD_BYTES = 8 * 1024 * 1024;

interface EngineParts {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number; _socket?: { destroy(): void } } };
}

export function bufferedBytes(socket: ChatSocket): number {
  const conn = socket.conn as unknown as EngineParts;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}

/** Checks every connection of this node each `intervalMs`; closes those over the hard bound. Returns a stop function. */
export function watchReadPressure(io: ChatIo, log: Logger, intervalMs = 1000, hardBytes = BUFFERED_HARD_BYTES): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const bytes = bufferedBytes(socket);
      if (bytes <= hardBytes) continue;
      log.warn({ user: socket.data.user, sid: socket.id, bytes }, 'connection dropped: it does not read what it is sent');
      // Not a polite close: that would queue behind the very bytes it does not read.
      const tcp = (socket.conn as unknown as EngineParts).transport?.socket?._socket;
      if (tcp) tcp.destroy();
      else socket.disconnect(true);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
