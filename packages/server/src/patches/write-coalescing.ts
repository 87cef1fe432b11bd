/**
 * One system call per socket per turn of the event loop instead of one per packet.
 *
 * engine.io's websocket transport writes each packet as its own frame, and `ws` hands each frame
 * to the TCP socket at once: one `writev` per packet, and on loopback that call also runs the
 * receiving side of TCP. Under load (a group commit answers hundreds of senders and delivers to
 * their peers in one go) a socket gets several frames at a time, and those calls were ~30% of the
 * server's time. So the first send in a turn corks the TCP socket and everything sent to it until
 * the current tick's work is done (process.nextTick, after the promise jobs) leaves in one
 * `writev`. Nothing waits for a timer or for I/O.
 *
 * While its socket is corked the transport keeps taking packets (it would otherwise queue them
 * until the write callback and send them in a second call); each send still gets its own
 * completion, so engine.io's bookkeeping of sends and drains is unchanged.
 *
 * The transport class is not exported by engine.io, so it is patched through the prototype of the
 * first websocket transport seen (once per process; the patched method is marked). Fenced
 * (fence.ts): only on the engine.io in PATCHED_VERSIONS; another is recorded and logged.
 */
import type { Server } from 'socket.io';
import { versionMatches } from '@tui-chat/protocol/fence';
import { PATCHED_VERSIONS } from './versions.js';

export const WRITE_COALESCING = 'engine.io-write-coalescing';

const PATCHED = Symbol.for('tui-chat.corkedSend');

interface CorkableSocket {
  cork(): void;
  uncork(): void;
  writable?: boolean;
}

interface WsTransport {
  name: string;
  writable: boolean;
  socket?: { _socket?: CorkableSocket };
  send(packets: unknown[]): void;
}

type SendFn = ((this: WsTransport, packets: unknown[]) => void) & { [PATCHED]?: true };

const corked = new Set<CorkableSocket>();
let uncorkScheduled = false;

function uncorkAll(): void {
  uncorkScheduled = false;
  const sockets = [...corked];
  corked.clear();
  for (const tcp of sockets) {
    // One socket failing must not leave the others corked for good.
    try {
      tcp.uncork();
    } catch {
      // a socket torn down meanwhile: nothing left to send on it
    }
  }
}

function patch(proto: { send: SendFn }): void {
  if (proto.send[PATCHED]) return;
  const original = proto.send;
  const corkedSend: SendFn = function (this: WsTransport, packets: unknown[]) {
    const tcp = this.socket?._socket;
    if (!tcp || typeof tcp.cork !== 'function' || tcp.writable === false) return original.call(this, packets);
    if (!corked.has(tcp)) {
      tcp.cork();
      corked.add(tcp);
      if (!uncorkScheduled) {
        uncorkScheduled = true;
        process.nextTick(uncorkAll);
      }
    }
    original.call(this, packets);
    this.writable = true;
  };
  corkedSend[PATCHED] = true;
  proto.send = corkedSend;
}

/** True when the websocket transport in this process coalesces its writes. */
export function writesCoalesced(transport: unknown): boolean {
  return Boolean((transport as { send?: SendFn } | null)?.send?.[PATCHED]);
}

/** Makes `io`'s websocket transport write each queue of packets with one system call. */
export function coalesceWrites(io: Server): void {
  // engine.io is socket.io's; resolved from socket.io as socket.io resolves it.
  if (!versionMatches(WRITE_COALESCING, 'engine.io', PATCHED_VERSIONS['engine.io'], import.meta.resolve('socket.io'))) return;
  io.engine.on('connection', (conn: { transport: WsTransport }) => {
    const t = conn.transport;
    if (t?.name !== 'websocket' || writesCoalesced(t)) return;
    patch(Object.getPrototypeOf(t) as { send: SendFn });
  });
}
