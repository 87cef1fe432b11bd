/**
 * The load workers' IRC path (the InspIRCd anchor) against a tiny in-process IRC-like server:
 * registration (NICK/USER until the end of the welcome), PING answered, PRIVMSG relayed, the
 * closed loop's bound ("in flight" = sent and not yet received by the recipient), the open loop's
 * counts and stamps, a refused nick, and closing. Counts only, never speed.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { IrcSocket } from '../src/irc-socket.js';
import { findInspircd, Inspircd, inspircdConfig } from '../src/inspircd.js';
import { closeIrc, ircConnect, ircRate, ircThroughput } from '../src/worker/irc.js';

interface Client {
  socket: net.Socket;
  nick: string | null;
}

/**
 * Relays PRIVMSG by nick. With `window`, it holds each sender's messages and forwards them only
 * once it holds `window` of them: a load that kept fewer in flight would stall, one that kept
 * more would show in `maxHeld`.
 */
class TinyIrc {
  readonly server = net.createServer((socket) => this.accept(socket));
  readonly byNick = new Map<string, Client>();
  readonly held = new Map<string, string[]>();
  maxHeld = 0;
  relayed = 0;
  pongs: string[] = [];
  quits = 0;
  onPong: (token: string) => void = () => undefined;

  constructor(private readonly window: number | null = null) {}

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)));
  }

  close(): Promise<void> {
    for (const c of this.byNick.values()) c.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const client: Client = { socket, nick: null };
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.line(client, line);
      }
    });
  }

  private line(client: Client, line: string): void {
    const [command, ...rest] = line.split(' ');
    if (command === 'NICK') {
      const nick = rest[0]!;
      if (nick === 'taken' || this.byNick.has(nick)) {
        client.socket.write(`:tiny 433 * ${nick} :Nickname is already in use.\r\n`);
        return;
      }
      client.nick = nick;
      this.byNick.set(nick, client);
    } else if (command === 'USER' && client.nick) {
      // A welcome in two writes, the MOTD's end split across them, and a PING before it ends.
      client.socket.write(`:tiny 001 ${client.nick} :Welcome\r\n:tiny 375 ${client.nick} :- MOTD\r\n:tiny 3`);
      client.socket.write(`76 ${client.nick} :End of MOTD\r\nPING :tok-${client.nick}\r\n`);
    } else if (command === 'PONG') {
      this.pongs.push(rest.join(' '));
      this.onPong(rest.join(' '));
    } else if (command === 'QUIT') {
      this.quits++;
    } else if (command === 'PRIVMSG' && client.nick) {
      const to = rest[0]!;
      const out = `:${client.nick}!${client.nick}@127.0.0.1 PRIVMSG ${to} ${rest.slice(1).join(' ')}\r\n`;
      if (this.window === null) return this.forward(to, [out]);
      const held = this.held.get(client.nick) ?? [];
      held.push(out);
      this.held.set(client.nick, held);
      this.maxHeld = Math.max(this.maxHeld, held.length);
      if (held.length === this.window) {
        this.held.set(client.nick, []);
        this.forward(to, held);
      }
    }
  }

  private forward(to: string, lines: string[]): void {
    this.relayed += lines.length;
    this.byNick.get(to)?.socket.write(lines.join(''));
  }
}

let server: TinyIrc | null = null;

afterEach(async () => {
  await closeIrc();
  await server?.close();
  server = null;
});

async function start(window: number | null = null): Promise<number> {
  server = new TinyIrc(window);
  return server.listen();
}

const pairs: [string, string][] = [
  ['ia', 'ib'],
  ['ic', 'id'],
];

test('users register (the welcome may come in pieces), PING is answered, and a refused nick is reported', async () => {
  const port = await start();
  const ponged = new Promise<string>((resolve) => (server!.onPong = resolve));
  const r = await ircConnect({ host: '127.0.0.1', port, users: ['ia', 'ib', 'taken'], concurrency: 2 });
  expect(r.connected).toBe(2);
  expect(r.failed).toBe(1);
  expect(r.firstError).toMatch(/taken: refused: .* 433 /);
  expect(await ponged).toMatch(/^:tok-i[ab]$/);
  expect(await closeIrc()).toBe(2);
});

test('the closed loop keeps exactly `window` per sender sent and not yet received, and every message arrives', async () => {
  const port = await start(4);
  await ircConnect({ host: '127.0.0.1', port, users: pairs.flat(), concurrency: 4 });
  const r = await ircThroughput({ pairs, window: 4, durationMs: 60_000, textBytes: 100, perSender: 40 });
  expect(r.sent).toBe(80);
  expect(r.delivered).toBe(80);
  expect(server!.relayed).toBe(80);
  expect(server!.maxHeld).toBe(4);
  expect(r.end).toBeGreaterThanOrEqual(r.start);
});

test('the open loop sends on its schedule, and every receipt is stamped with its send time', async () => {
  const port = await start();
  await ircConnect({ host: '127.0.0.1', port, users: pairs.flat(), concurrency: 4 });
  const r = await ircRate({ pairs, ratePerSender: 50, durationMs: 300, warmupMs: 0, textBytes: 100 });
  expect(r.sent).toBeGreaterThan(0);
  expect(r.delivered).toBe(r.sent);
  expect(r.latencies.length).toBe(r.delivered);
  for (const ms of r.latencies) expect(ms).toBeGreaterThanOrEqual(0);
});

test('a PRIVMSG whose text holds " :" reaches the handler whole', async () => {
  const port = await start();
  const [a, b] = await Promise.all(['ia', 'ib'].map((nick) => IrcSocket.connect({ host: '127.0.0.1', port, nick })));
  const got = new Promise<string>((resolve) => b!.handle(resolve));
  a!.privmsg('ib', 't=1.5;x :y: z');
  expect(await got).toBe('t=1.5;x :y: z');
  await Promise.all([a!.closeAndWait(), b!.closeAndWait()]);
});

test("the bench's InspIRCd config turns flood control off and binds loopback only", () => {
  const config = inspircdConfig(6667, '/tmp/x');
  expect(config).toContain('<bind address="127.0.0.1" port="6667" type="clients">');
  expect(config).toContain('fakelag="no"');
  expect(config).toMatch(/commandrate="\d{10}"/);
});

test('inspircd is found on the PATH when it is an executable there', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-irc-path-'));
  try {
    const file = path.join(dir, 'inspircd');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    expect(findInspircd(dir)).not.toBe(file);
    fs.chmodSync(file, 0o755);
    expect(findInspircd(dir)).toBe(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('starting and stopping the server (a stand-in script for inspircd)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-irc-start-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const script = (body: string): string => {
    const file = path.join(dir, 'inspircd');
    fs.writeFileSync(file, `#!/bin/sh\ncase "$1" in --version) echo stand-in-1.0; exit 0;; esac\n${body}\n`, { mode: 0o755 });
    return file;
  };

  test('one that says it is running is started with the config written for it, and stopped', async () => {
    const server = await Inspircd.start(script('echo "$@" > args.txt; echo "InspIRCd is now running"; exec sleep 60'), dir);
    try {
      expect(server.version).toBe('stand-in-1.0');
      const args = fs.readFileSync(path.join(dir, 'args.txt'), 'utf8');
      expect(args).toContain(`--config ${path.join(dir, 'inspircd.conf')} --nofork --nopid`);
      expect(fs.readFileSync(path.join(dir, 'inspircd.conf'), 'utf8')).toContain(`port="${server.port}"`);
      if (process.platform === 'linux') expect(server.cpuSeconds()).toBeGreaterThanOrEqual(0);
    } finally {
      await server.stop();
    }
    expect(server.child.exitCode !== null || server.child.signalCode !== null).toBe(true);
  });

  test('one that exits first is an error that says how and what it printed last', async () => {
    await expect(Inspircd.start(script('echo "Config error: no <bind>"; exit 3'), dir)).rejects.toThrow(
      /^InspIRCd exited \(3\): Config error: no <bind>$/,
    );
  });
});
