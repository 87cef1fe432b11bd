/**
 * The client address a PROXY protocol header names, given to the socket the balancer connected:
 * Node's sockets keep their peer in `_peername` once read, and http and engine.io read
 * `remoteAddress` through it. An internal of Node itself (not of a package), so there is no
 * version to pin: `peerTakes()` checks the running Node honours it (the server refuses to start
 * with --proxy-protocol where it does not), and the proxy-protocol tests run on every Node in CI.
 */
import net from 'node:net';

export interface Peer {
  address: string;
  family: string;
  port: number;
}

export function setPeer(socket: net.Socket, source: Peer): void {
  (socket as unknown as { _peername: Peer })._peername = source;
}

/** Whether this Node reads a socket's remote address from what setPeer writes. */
export function peerTakes(): boolean {
  const socket = new net.Socket();
  setPeer(socket, { address: '203.0.113.1', family: 'IPv4', port: 1 });
  const ok = socket.remoteAddress === '203.0.113.1' && socket.remotePort === 1;
  socket.destroy();
  return ok;
}
