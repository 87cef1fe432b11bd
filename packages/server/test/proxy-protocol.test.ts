/**
 * PROXY protocol behind a TCP load balancer: the balancer here is a real TCP relay that connects
 * from 127.0.0.2 (the listed balancer), writes a v1 or v2 header naming a client, then pipes.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io as connectSocket } from 'socket.io-client';
import { createChatServer, trustedProxies, type ChatServer } from '../src/index.js';
import { readProxyHeader, ProxyHeaderError } from '../src/proxy-protocol.js';
import { startHarness, TEST_COST, type Harness } from './helpers.js';
import { testCertificates } from '@tui-chat/testkit';

const SIG = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v2 header: PROXY (or LOCAL) over TCP, IPv4 or IPv6, with `tlv` bytes after the addresses. */
function v2(source: string, sourcePort: number, opts: { local?: boolean; tlv?: Buffer } = {}): Buffer {
  const six = net.isIPv6(source);
  const bytes = (a: string): number[] => {
    if (!six) return a.split('.').map(Number);
    const full = new URL(`http://[${a}]/`).hostname; // normalised; expand "::" by hand below
    const [head = '', tail = ''] = full.slice(1, -1).split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = full.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  };
  const dest = six ? '::1' : '127.0.0.1';
  const addr = Buffer.from([...bytes(source), ...bytes(dest), sourcePort >> 8, sourcePort & 0xff, 0x0f, 0xa0]);
  const body = Buffer.concat([addr, opts.tlv ?? Buffer.alloc(0)]);
  const head = Buffer.from([opts.local ? 0x20 : 0x21, six ? 0x21 : 0x11, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([SIG, head, body]);
}

const v1 = (source: string, port = 40000): string =>
  `PROXY ${net.isIPv6(source) ? 'TCP6' : 'TCP4'} ${source} ${net.isIPv6(source) ? '::1' : '127.0.0.1'} ${port} 4000\r\n`;

interface Balancer {
  port: number;
  close(): Promise<void>;
}

/** A TCP balancer on 127.0.0.1 that reaches `target` from 127.0.0.2 and opens each connection with `header`. */
async function balancer(target: number, header: () => Buffer | string, opts: { bytewise?: boolean } = {}): Promise<Balancer> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect({ port: target, host: '127.0.0.1', localAddress: '127.0.0.2' });
    up.setNoDelay(true);
    open.add(client).add(up);
    const bytes = Buffer.from(header());
    const start = async (): Promise<void> => {
      if (opts.bytewise) {
        // One write per byte, each flushed before the next: the server sees the header in pieces.
        for (const b of bytes) await new Promise<void>((r) => up.write(Buffer.from([b]), () => r()));
      } else up.write(bytes);
      client.pipe(up).on('error', () => undefined);
      up.pipe(client).on('error', () => undefined);
    };
    client.pause();
    up.once('connect', () => void start());
    const drop = (): void => {
      client.destroy();
      up.destroy();
    };
    client.on('close', drop).on('error', drop);
    up.on('close', drop).on('error', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The address the server counts a user's sessions by (as lockouts and limits do). */
async function addressesOf(server: ChatServer, user: string): Promise<string[]> {
  const sockets = await server.io.fetchSockets();
  return sockets.filter((s) => s.data.user === user).map((s) => s.handshake.address.replace(/^::ffff:/, ''));
}

/** Opens a raw TCP connection from `localAddress`, writes `data`, and resolves with all it got back once closed. */
function raw(port: number, data: Buffer | string, localAddress = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress }, () => s.write(data));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    s.on('close', () => resolve(got));
  });
}

describe('reading the header', () => {
  test('v1 over IPv4 and IPv6, and UNKNOWN; what follows is left for the server', () => {
    const four = Buffer.from(`${v1('203.0.113.7', 5555)}GET / HTTP/1.1\r\n`);
    const h4 = readProxyHeader(four);
    expect(h4).toEqual({ source: { address: '203.0.113.7', family: 'IPv4', port: 5555 }, length: v1('203.0.113.7', 5555).length });
    expect(readProxyHeader(Buffer.from(v1('2001:0db8:0:0::7')))).toMatchObject({ source: { address: '2001:db8::7', family: 'IPv6' } });
    expect(readProxyHeader(Buffer.from('PROXY UNKNOWN\r\nGET'))).toEqual({ source: null, length: 15 });
    // An IPv4 client of a dual-stack balancer is that IPv4 address, as in v2 and as when direct.
    expect(readProxyHeader(Buffer.from('PROXY TCP6 ::ffff:192.0.2.9 ::1 1 2\r\n'))).toMatchObject({
      source: { address: '192.0.2.9', family: 'IPv4' },
    });
  });

  test('v2: PROXY over IPv4 and IPv6 (with TLVs), LOCAL speaks for the balancer itself', () => {
    const tlv = Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]); // a NOOP TLV
    const four = v2('198.51.100.4', 6000, { tlv });
    expect(readProxyHeader(Buffer.concat([four, Buffer.from('GET')]))).toEqual({
      source: { address: '198.51.100.4', family: 'IPv4', port: 6000 },
      length: four.length,
    });
    expect(readProxyHeader(v2('2001:db8::42', 7000))).toMatchObject({ source: { address: '2001:db8::42', family: 'IPv6', port: 7000 } });
    expect(readProxyHeader(v2('::ffff:192.0.2.1', 7000))).toMatchObject({ source: { address: '192.0.2.1' } });
    expect(readProxyHeader(v2('198.51.100.4', 6000, { local: true }))).toMatchObject({ source: null });
  });

  test('every piece short of a whole header asks for more', () => {
    for (const whole of [Buffer.from(v1('203.0.113.7')), Buffer.from(v1('2001:db8::1')), v2('198.51.100.4', 1), v2('2001:db8::1', 1)]) {
      for (let n = 1; n < whole.length; n++) expect(readProxyHeader(whole.subarray(0, n))).toBe('more');
      expect(readProxyHeader(whole)).not.toBe('more');
    }
  });

  test.each([
    ['plain HTTP', 'GET /socket.io/ HTTP/1.1\r\n'],
    ['a v1 line that never ends', `PROXY TCP4 ${'1'.repeat(120)}`],
    ['a v1 address that is not one', 'PROXY TCP4 999.0.0.1 127.0.0.1 1 2\r\n'],
    ['a v1 address of the other family', 'PROXY TCP4 2001:db8::1 127.0.0.1 1 2\r\n'],
    ['a v1 IPv6 address with a zone', 'PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n'],
    ['a v1 port out of range', 'PROXY TCP4 192.0.2.1 127.0.0.1 70000 2\r\n'],
    ['a v1 protocol that does not exist', 'PROXY UDP4 192.0.2.1 127.0.0.1 1 2\r\n'],
    ['a v2 version 3', Buffer.concat([SIG, Buffer.from([0x31, 0x11, 0, 12]), Buffer.alloc(12)])],
    ['a v2 address block too short', Buffer.concat([SIG, Buffer.from([0x21, 0x11, 0, 4]), Buffer.alloc(4)])],
    ['a v2 header of 60 KiB', Buffer.concat([SIG, Buffer.from([0x21, 0x11, 0xf0, 0])])],
  ])('refuses %s', (_what, data) => {
    expect(() => readProxyHeader(Buffer.from(data))).toThrow(ProxyHeaderError);
  });

  test('the balancer list takes addresses and networks, and names what it cannot read', () => {
    const list = trustedProxies(['10.0.0.5', '192.168.0.0/16', 'fd00::/8']);
    expect(list.check('10.0.0.5')).toBe(true);
    expect(list.check('10.0.0.6')).toBe(false);
    expect(list.check('192.168.44.1')).toBe(true);
    expect(list.check('fd12::1', 'ipv6')).toBe(true);
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'fd00::/129', 'lb.example.com', '10.0.0.0/8/8', '10.0.0.0/x', '']) {
      expect(() => trustedProxies([bad])).toThrow(/is not an IP address or network/);
    }
    expect(() => trustedProxies([])).toThrow(/at least one/);
  });
});

describe('behind a balancer that sends the header', () => {
  let h: Harness;
  const balancers: Balancer[] = [];
  afterEach(async () => {
    for (const b of balancers.splice(0)) await b.close();
    await h?.close();
  });
  const via = async (header: () => Buffer | string, opts?: { bytewise?: boolean }): Promise<number> => {
    const b = await balancer(h.port, header, opts);
    balancers.push(b);
    return b.port;
  };

  test('lockouts count the client named in the header, not the balancer; others connect directly', async () => {
    h = await startHarness({ proxyProtocol: { from: ['127.0.0.2'] } });
    await h.register('ivan', 'right-pw');
    const mallory = await via(() => v1('203.0.113.66'));
    const ivan = await via(() => v1('203.0.113.7'));
    for (let i = 0; i < 2; i++)
      expect((await h.refused({ user: 'ivan', password: 'wrong' }, { via: mallory })).code).toBe('bad_credentials');
    expect((await h.refused({ user: 'ivan', password: 'wrong' }, { via: mallory })).code).toBe('locked_out');
    expect((await h.refused({ user: 'ivan', password: 'right-pw' }, { via: mallory })).code).toBe('locked_out');
    // Through the same balancer, ivan from his own address is not locked out by mallory.
    await h.login('ivan', 'right-pw', {}, { via: ivan });
    // A direct connection from an address not on the list is taken as it is.
    await h.login('ivan', 'right-pw');
    // (the first 127.0.0.1 is the registration's connection, still open)
    expect((await addressesOf(h.server, 'ivan')).sort()).toEqual(['127.0.0.1', '127.0.0.1', '203.0.113.7']);
  });

  test('IPv6 clients count by their /64 (red-team item 9): a lockout from one address of a /64 holds for the others in it, not for the next /64', async () => {
    h = await startHarness({ proxyProtocol: { from: ['127.0.0.2'] } });
    await h.register('ivan', 'right-pw');
    const guesses = ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:db8:1:2:abcd:1:2:3'];
    for (const [i, source] of guesses.entries()) {
      const code = (await h.refused({ user: 'ivan', password: `wrong-${i}` }, { via: await via(() => v1(source)) })).code;
      expect(code).toBe(i < 2 ? 'bad_credentials' : 'locked_out');
    }
    // Yet another address in that /64: locked too.
    expect((await h.refused({ user: 'ivan', password: 'right-pw' }, { via: await via(() => v1('2001:db8:1:2::beef')) })).code).toBe(
      'locked_out',
    );
    // The neighbouring /64 is someone else.
    await h.login('ivan', 'right-pw', {}, { via: await via(() => v1('2001:db8:1:3::1')) });
    expect(h.server.context.connections.key('2001:db8:1:2::42')).toBe('2001:db8:1:2::/64');
  });

  test('with ipv6Prefix 128 every IPv6 address counts alone', async () => {
    h = await startHarness({ proxyProtocol: { from: ['127.0.0.2'] }, limits: { ipv6Prefix: 128 }, lockoutAttempts: 1 });
    await h.register('ivan', 'right-pw');
    expect((await h.refused({ user: 'ivan', password: 'wrong' }, { via: await via(() => v1('2001:db8:1:2::1')) })).code).toBe('locked_out');
    await h.login('ivan', 'right-pw', {}, { via: await via(() => v1('2001:db8:1:2::2')) });
  });

  test('v2 headers with IPv6 clients, a header in one-byte pieces, and LOCAL (the balancer itself)', async () => {
    h = await startHarness({ proxyProtocol: { from: ['127.0.0.2/31'] } });
    await h.register('ann', 'right-pw');
    await h.login('ann', 'right-pw', {}, { via: await via(() => v2('2001:db8::7', 50000)) });
    await h.login('ann', 'right-pw', {}, { via: await via(() => v2('198.51.100.9', 50001), { bytewise: true }) });
    await h.login('ann', 'right-pw', {}, { via: await via(() => v1('192.0.2.33'), { bytewise: true }) });
    await h.login('ann', 'right-pw', {}, { via: await via(() => v2('198.51.100.10', 1, { local: true })) });
    expect((await addressesOf(h.server, 'ann')).sort()).toEqual(['127.0.0.1', '127.0.0.2', '192.0.2.33', '198.51.100.9', '2001:db8::7']);
  });

  test('a listed balancer without a header, with a bad one or too slow is cut off; others cannot name an address', async () => {
    h = await startHarness({ proxyProtocol: { from: ['127.0.0.2'], headerTimeoutMs: 300 } });
    // From the balancer: plain HTTP, a malformed header, and silence are each closed without an answer.
    expect(await raw(h.port, 'GET /tui-chat/info HTTP/1.1\r\nHost: x\r\n\r\n', '127.0.0.2')).toBe('');
    expect(await raw(h.port, 'PROXY TCP4 999.1.1.1 127.0.0.1 1 2\r\nGET /tui-chat/info HTTP/1.1\r\n\r\n', '127.0.0.2')).toBe('');
    expect(await raw(h.port, Buffer.alloc(0), '127.0.0.2')).toBe('');
    // From anywhere else a header is just bytes that are not HTTP: the server answers 400.
    expect(await raw(h.port, `${v1('203.0.113.7')}GET /tui-chat/info HTTP/1.1\r\nHost: x\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    // And the server still serves: directly, and through the balancer with a header.
    expect(
      await raw(h.port, `${v1('203.0.113.7')}GET /tui-chat/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, '127.0.0.2'),
    ).toMatch(/^HTTP\/1\.1 200[\s\S]*"name":"tui-chat"/);
    await h.register('bo', 'right-pw');
    expect(await addressesOf(h.server, 'bo')).toEqual(['127.0.0.1']);
  });
});

test('over TLS: the header comes before the TLS handshake', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-proxy-tls-'));
  const certs = testCertificates(dir);
  const server = createChatServer({
    db: ':memory:',
    passwordCost: TEST_COST,
    tls: { cert: fs.readFileSync(certs.cert), key: fs.readFileSync(certs.key) },
    proxyProtocol: { from: ['127.0.0.2'] },
  });
  const { port } = await server.listen();
  const b = await balancer(port, () => v2('198.51.100.77', 1234));
  try {
    const socket = connectSocket(`https://127.0.0.1:${b.port}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ca: fs.readFileSync(certs.ca, 'utf8'),
      auth: { user: 'tess', password: 'right-pw', register: true },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('session:ready', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(await addressesOf(server, 'tess')).toEqual(['198.51.100.77']);
    socket.disconnect();
  } finally {
    await b.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
