/**
 * The PROXY protocol (v1 text and v2 binary, as HAProxy's `send-proxy` / `send-proxy-v2` and
 * nginx's `proxy_protocol on` send it) in front of the HTTP(S) server. Behind a TCP load balancer
 * every connection comes from the balancer; with this, a connection from one of the listed
 * balancers must begin with the header, and the client address in it becomes the connection's
 * address, so lockouts, login limits and connection limits count people, not the balancer.
 * Connections from anywhere else are taken as they are: only a listed balancer can name an address.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { setPeer } from './patches/node-peername.js';
import { Command, IPv4ProxyAddress, IPv6ProxyAddress, V1ProxyProtocol, V2ProxyProtocol } from 'proxy-protocol-js';

export interface ProxyProtocolOptions {
  /** Addresses or networks (10.0.0.5, 10.0.0.0/24, fd00::/8) of the balancers that send the header. */
  from: readonly string[];
  /** How long a balancer's connection may take to send its header (default 5000 ms). */
  headerTimeoutMs?: number;
}

export const DEFAULT_PROXY_HEADER_TIMEOUT_MS = 5000;
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
const V1_PREFIX = Buffer.from('PROXY ');
/** The spec's longest v1 line, CRLF included. */
const V1_MAX_BYTES = 107;
/** Addresses plus TLVs; balancers send a few hundred bytes at most. */
const V2_MAX_BYTES = 16 + 2048;

/** Why a header was refused, in words for the log. */
export class ProxyHeaderError extends Error {}

/** The balancers' addresses as a BlockList; throws a sentence naming the first entry that is not an address or network. */
export function trustedProxies(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  if (entries.length === 0) throw new Error('name at least one load balancer address (like 10.0.0.5 or 10.0.0.0/24).');
  for (const raw of entries) {
    const entry = raw.trim();
    const [address = '', bits, ...more] = entry.split('/');
    const family = net.isIP(address);
    const prefix = bits === undefined ? null : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    const max = family === 6 ? 128 : 32;
    if (family === 0 || more.length > 0 || (prefix !== null && !(prefix <= max))) {
      throw new Error(`"${entry}" is not an IP address or network (like 10.0.0.5, 10.0.0.0/24 or fd00::/8).`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

/** An IPv4-mapped IPv6 address (a dual-stack listener's view of an IPv4 peer) as plain IPv4. */
const plain = (address: string): string => (address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address);

function isTrusted(list: net.BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const a = plain(address);
  return list.check(a, net.isIPv6(a) ? 'ipv6' : 'ipv4');
}

export interface ProxiedSource {
  address: string;
  family: 'IPv4' | 'IPv6';
  port: number;
}

/** Decoded header: the client's address, or null when the balancer speaks for itself (v2 LOCAL, v1 UNKNOWN, non-IP families). */
interface Header {
  source: ProxiedSource | null;
  length: number;
}

/** IPv6 written the usual short way (the URL parser does the RFC 5952 compression). */
const shortIpv6 = (groups: string): string => new URL(`http://[${groups}]/`).hostname.slice(1, -1);

function ipv6(bytes: readonly number[]): string {
  // An IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 client, counted as such.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12, 16).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return shortIpv6(groups.join(':'));
}

function v1(line: string): Header {
  // "PROXY UNKNOWN ..." is the balancer saying it cannot tell (its own health check, say).
  if (/^PROXY UNKNOWN[ \r]/.test(line)) return { source: null, length: Buffer.byteLength(line) };
  let parsed: V1ProxyProtocol;
  try {
    parsed = V1ProxyProtocol.parse(line);
  } catch {
    throw new ProxyHeaderError('malformed PROXY v1 header');
  }
  const family = parsed.inetProtocol === 'TCP6' ? 6 : 4;
  const { ipAddress, port } = parsed.source;
  if (net.isIP(ipAddress) !== family || net.isIP(parsed.destination.ipAddress) !== family || ipAddress.includes('%')) {
    throw new ProxyHeaderError('PROXY v1 header with an address that is not of its family');
  }
  if (!(port >= 0 && port <= 65535)) throw new ProxyHeaderError('PROXY v1 header with a port out of range');
  // An IPv4-mapped address (::ffff:1.2.3.4) is that IPv4 client, counted as such (as in v2).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ipAddress)?.[1];
  const address = family === 4 ? ipAddress : (mapped ?? shortIpv6(ipAddress));
  return { source: { address, family: net.isIPv4(address) ? 'IPv4' : 'IPv6', port }, length: Buffer.byteLength(line) };
}

function v2(header: Buffer): Header {
  let parsed: V2ProxyProtocol;
  try {
    parsed = V2ProxyProtocol.parse(header);
  } catch (err) {
    throw new ProxyHeaderError(`malformed PROXY v2 header (${(err as { message?: string }).message ?? 'unreadable'})`);
  }
  if (parsed.command === Command.LOCAL) return { source: null, length: header.length };
  const a = parsed.proxyAddress;
  if (a instanceof IPv4ProxyAddress) {
    return { source: { address: a.sourceAddress.address.join('.'), family: 'IPv4', port: a.sourcePort }, length: header.length };
  }
  if (a instanceof IPv6ProxyAddress) {
    const address = ipv6(a.sourceAddress.address);
    return { source: { address, family: net.isIPv4(address) ? 'IPv4' : 'IPv6', port: a.sourcePort }, length: header.length };
  }
  return { source: null, length: header.length }; // AF_UNIX or unspecified: nothing to count by
}

/**
 * How far `data` holds a header: the header when complete, 'more' when it may still become one,
 * and a ProxyHeaderError when it cannot.
 */
export function readProxyHeader(data: Buffer): Header | 'more' {
  const v2Prefix = Math.min(data.length, V2_SIGNATURE.length);
  if (data.subarray(0, v2Prefix).equals(V2_SIGNATURE.subarray(0, v2Prefix))) {
    if (data.length < 16) return 'more';
    const length = 16 + data.readUInt16BE(14);
    if (length > V2_MAX_BYTES) throw new ProxyHeaderError(`PROXY v2 header of ${length} bytes (at most ${V2_MAX_BYTES} taken)`);
    return data.length < length ? 'more' : v2(data.subarray(0, length));
  }
  const v1Prefix = Math.min(data.length, V1_PREFIX.length);
  if (data.subarray(0, v1Prefix).equals(V1_PREFIX.subarray(0, v1Prefix))) {
    const end = data.indexOf('\r\n');
    if (end === -1 || end + 2 > V1_MAX_BYTES) {
      if (data.length < V1_MAX_BYTES && end === -1) return 'more';
      throw new ProxyHeaderError(`PROXY v1 header without its line end in ${V1_MAX_BYTES} bytes`);
    }
    return v1(data.subarray(0, end + 2).toString('latin1'));
  }
  throw new ProxyHeaderError('the connection did not start with a PROXY protocol header');
}

/** Reads the header off the socket; what follows it is put back for the server behind. */
function takeHeader(socket: net.Socket, timeoutMs: number): Promise<ProxiedSource | null> {
  return new Promise((resolve, reject) => {
    let data: Buffer = Buffer.alloc(0);
    const done = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
      socket.off('close', onEnd);
    };
    const onData = (chunk: Buffer): void => {
      data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
      let header: Header | 'more';
      try {
        header = readProxyHeader(data);
      } catch (err) {
        done();
        reject(err);
        return;
      }
      if (header === 'more') return;
      done();
      socket.pause();
      if (data.length > header.length) socket.unshift(data.subarray(header.length));
      resolve(header.source);
    };
    const onEnd = (): void => {
      done();
      reject(new ProxyHeaderError(data.length === 0 ? 'closed before sending anything' : 'closed in the middle of its PROXY header'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new ProxyHeaderError(`no complete PROXY header within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onEnd);
    socket.on('close', onEnd);
  });
}

export interface ProxyFront {
  /** The listening server; `target` never listens itself. */
  readonly server: net.Server;
  /** Stops accepting and drops connections still sending their header. */
  close(): void;
}

/**
 * A TCP server that reads the PROXY header of the balancers' connections and hands every
 * connection to `target` (an http or https server) as if it had accepted it itself.
 */
export function proxyProtocolFront(target: net.Server, options: ProxyProtocolOptions, log: Logger): ProxyFront {
  const trusted = trustedProxies(options.from);
  const timeoutMs = options.headerTimeoutMs ?? DEFAULT_PROXY_HEADER_TIMEOUT_MS;
  const waiting = new Set<net.Socket>();
  const proxied = new WeakMap<net.Socket, ProxiedSource>();
  // Over TLS http and engine.io read the TLS socket wrapped around ours, made inside the TLS
  // server's own connection handler: it gets the address once its handshake is done, before the
  // HTTP server (also on 'secureConnection') sees it.
  target.prependListener('secureConnection', (tlsSocket: net.Socket & { _parent?: net.Socket }) => {
    const source = tlsSocket._parent && proxied.get(tlsSocket._parent);
    if (source) setPeer(tlsSocket, source);
  });
  const handOver = (socket: net.Socket): void => {
    target.emit('connection', socket);
    socket.resume();
  };
  const server = net.createServer(
    { allowHalfOpen: (target as { allowHalfOpen?: boolean }).allowHalfOpen ?? false, noDelay: true },
    (socket) => {
      const balancer = socket.remoteAddress;
      if (!isTrusted(trusted, balancer)) {
        handOver(socket);
        return;
      }
      waiting.add(socket);
      takeHeader(socket, timeoutMs).then(
        (source) => {
          waiting.delete(socket);
          if (source) {
            setPeer(socket, source);
            proxied.set(socket, source);
          }
          handOver(socket);
        },
        (err: unknown) => {
          waiting.delete(socket);
          const reason = err instanceof ProxyHeaderError ? err.message : String(err);
          // A balancer's bare TCP health check connects and closes: not worth a warning.
          if (reason === 'closed before sending anything') log.debug({ balancer }, 'balancer connection closed before its PROXY header');
          else log.warn({ balancer, reason }, 'connection from a load balancer refused: no valid PROXY protocol header');
          socket.destroy();
        },
      );
    },
  );
  // The http server tracks its connections (closeAllConnections, request timeouts) from 'listening'.
  server.on('listening', () => target.emit('listening'));
  return {
    server,
    close() {
      server.close();
      for (const socket of waiting) socket.destroy();
      waiting.clear();
    },
  };
}
