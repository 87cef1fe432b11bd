/**
 * A minimal IRC client for load generation (the InspIRCd anchor): registers with NICK/USER,
 * answers PING, sends PRIVMSG and hands each PRIVMSG that arrives to one handler. Like
 * lite-socket.ts it does only what the load needs, so one process drives hundreds of users.
 */
import net from 'node:net';
import { settleOnce } from './settle.js';

export interface IrcConnectOptions {
  host: string;
  port: number;
  nick: string;
  /** Source address, to spread many connections over 127.0.0.x. */
  localAddress?: string;
  timeoutMs?: number;
}

/** The welcome is over: the end of the MOTD, or "no MOTD". */
const REGISTERED = new Set(['376', '422']);

export class IrcSocket {
  private buffer = '';
  private onPrivmsg: ((text: string) => void) | null = null;
  private closed = false;

  private constructor(
    readonly socket: net.Socket,
    readonly nick: string,
  ) {}

  static connect(options: IrcConnectOptions): Promise<IrcSocket> {
    const socket = net.connect({ host: options.host, port: options.port, localAddress: options.localAddress });
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    const irc = new IrcSocket(socket, options.nick);
    return new Promise<IrcSocket>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 60_000;
      const welcome = settleOnce(
        resolve,
        reject,
        timeoutMs,
        () => new Error(`${options.nick}: no welcome within ${timeoutMs} ms`),
        () => irc.close(),
      );
      const fail = welcome.fail;
      socket.on('connect', () => socket.write(`NICK ${options.nick}\r\nUSER ${options.nick} 0 * :${options.nick}\r\n`));
      socket.on('data', (chunk: string) =>
        irc.receive(chunk, (command, line) => {
          if (welcome.settled) return;
          if (REGISTERED.has(command)) welcome.done(irc);
          else if (command === 'ERROR' || /^4\d\d$/.test(command)) {
            fail(new Error(`${options.nick}: refused: ${line}`));
          }
        }),
      );
      socket.on('error', (err) => fail(err));
      socket.on('close', () => {
        irc.closed = true;
        fail(new Error(`${options.nick}: closed before the welcome`));
      });
    });
  }

  /** Splits what arrived into lines: PING answered, PRIVMSG to the handler, anything else to `other`. */
  private receive(chunk: string, other: (command: string, line: string) => void): void {
    let text = this.buffer + chunk;
    let end: number;
    while ((end = text.indexOf('\r\n')) !== -1) {
      const line = text.slice(0, end);
      text = text.slice(end + 2);
      if (line.startsWith('PING ')) {
        this.socket.write(`PONG ${line.slice(5)}\r\n`);
        continue;
      }
      // ":prefix COMMAND params..." (a server's lines always carry a prefix).
      const space = line.indexOf(' ');
      if (line.startsWith('PRIVMSG ', space + 1)) {
        // The text is the trailing parameter: the first " :" after the command (prefix and target have none).
        if (this.onPrivmsg) this.onPrivmsg(line.slice(line.indexOf(' :', space + 9) + 2));
        continue;
      }
      const command = line.startsWith(':') ? line.slice(space + 1, line.indexOf(' ', space + 1) >>> 0) : line.slice(0, space >>> 0);
      other(command, line);
    }
    this.buffer = text;
  }

  /** The handler of every PRIVMSG that arrives (one at a time; null: none). */
  handle(fn: ((text: string) => void) | null): void {
    this.onPrivmsg = fn;
  }

  privmsg(to: string, text: string): void {
    this.socket.write(`PRIVMSG ${to} :${text}\r\n`);
  }

  get open(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Says QUIT and resolves once the connection is gone (destroyed after 2 s at the latest). */
  closeAndWait(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.closed = true;
      this.socket.end('QUIT\r\n');
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 2000).unref();
    });
  }
}
