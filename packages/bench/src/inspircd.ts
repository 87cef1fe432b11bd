/**
 * InspIRCd as an anchor for the DM scenarios (issue 17): a C++ IRC server keeping nothing on
 * disk and sending no acknowledgements, to say how far tui-chat is from the limit of a mature
 * server on this machine. Found on the PATH (or in /usr/sbin, where Debian's package puts it);
 * started on loopback on a free port, as the current user, with a config of the bench's own in a
 * folder of the run (flood control off: no command rate, no penalty threshold, no fakelag).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { processCpu } from './cpu.js';
import { spawnProgram } from './procs.js';

/** The inspircd binary: the first on the PATH, else Debian's /usr/sbin (often not on a user's PATH); null when neither. */
export function findInspircd(searchPath = process.env.PATH ?? ''): string | null {
  for (const dir of [...searchPath.split(path.delimiter).filter(Boolean), '/usr/sbin']) {
    const file = path.join(dir, 'inspircd');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** A port free on 127.0.0.1 just now (InspIRCd cannot report one it picked itself). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The whole config. Flood control off: `commandrate` (millicommands per second) and `threshold`
 * (penalty) at their ceilings, `fakelag` no; queues large enough for the load; no DNS or ident
 * lookups; as many connections from one address as the load makes.
 */
export function inspircdConfig(port: number, dir: string): string {
  return `<server name="bench.irc.local" description="tui-chat bench anchor" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="${port}" type="clients">
<connect name="bench" allow="*" timeout="60" pingfreq="600" hardsendq="64M" softsendq="64M" recvq="64M"
         threshold="1000000000" commandrate="4000000000" fakelag="no"
         localmax="100000" globalmax="100000" maxconnwarn="no" limit="100000"
         resolvehostnames="no" useident="no">
<files motd="${path.join(dir, 'motd.txt')}">
<performance softlimit="20000" somaxconn="1024" quietbursts="yes">
<dns server="127.0.0.1" timeout="1">
<options>
<security>
<limits>
`;
}

export class Inspircd {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly version: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** CPU seconds the server used so far (user + system, all its threads), from /proc; null elsewhere. */
  cpuSeconds(): number | null {
    return processCpu([this.pid])?.get(this.pid) ?? null;
  }

  /** Writes the config into `dir` and starts the server; resolves once it says it is running. */
  static async start(binary: string, dir: string, timeoutMs = 30_000): Promise<Inspircd> {
    const port = await freePort();
    const config = path.join(dir, 'inspircd.conf');
    fs.writeFileSync(path.join(dir, 'motd.txt'), 'tui-chat bench\n');
    fs.writeFileSync(config, inspircdConfig(port, dir));
    let version = 'InspIRCd';
    try {
      version = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim() || version;
    } catch {
      // The version is only for the log line.
    }
    // InspIRCd refuses to run as root unless told to: run as whoever runs the bench.
    const asRoot = process.getuid?.() === 0 ? ['--runasroot'] : [];
    const child = spawnProgram(binary, ['--config', config, '--nofork', '--nopid', ...asRoot], dir);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`InspIRCd ${why}: ${output.trim().split('\n').slice(-5).join(' / ')}`));
      };
      const seen = (data: Buffer) => {
        output += data.toString();
        if (output.includes('is now running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      // 'close', not 'exit': its last words are read by then.
      child.once('close', (code, signal) => fail(`exited (${signal ?? code})`));
    });
    return new Inspircd(child, port, version);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
