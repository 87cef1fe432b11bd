/**
 * The headless chat client: owns the connection, keeps the ClientState (a new object per change)
 * and turns UI actions into requests. The Ink UI only renders the state and calls these methods.
 */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import {
  nameProblem,
  newNameProblem,
  normalizeName,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type SessionInfo,
  type ChatError,
} from '@tui-chat/protocol';
import { lineEffect, registry, runLine, runsBeforeLogin } from './commands/index.js';
import { complete } from './completion.js';
import { Connection, type ServerTarget } from './connection.js';
import type { ClientContext } from './context.js';
import { addResponse, withPresenceUnknown } from './conversations.js';
import { attachEvents } from './events/index.js';
import { initialState, loggedOutState } from './initial-state.js';
import { openConversation, type OpenOptions } from './open-conversation.js';
import { loadOlder } from './older.js';
import { Session } from './session.js';
import { emitRequest } from './request.js';
import { resendOutbox, restoreOutbox } from './send.js';
import { OutboxFile } from './outbox-file.js';
import { StateStore } from './state-store.js';
import { loadBroadcasts, loadConversations, loadOnline, resync } from './sync.js';
import type { ClientActions, ClientState, LoginRequest } from './types.js';
import { plural } from './format.js';
import { loadSocketIo } from './socket-io.js';
import { probeServer } from './server-check.js';
import { IdleWatch } from './idle.js';
import type { Settings } from '../settings/settings.js';
import type { SettingsFile } from '../settings/settings-file.js';

export interface ChatClientOptions {
  /**
   * The server, e.g. 'http://127.0.0.1:4000'; or the nodes of a cluster separated by commas
   * ('http://h1:4000,http://h2:4000'), tried in turn: the client moves to the next when its server
   * is lost, logs in there with its session token and catches up as after any reconnect.
   */
  url: string;
  /** host:port as the user typed it: state.server, the status bar, login errors (one per URL, comma-separated, for a cluster). */
  display: string;
  /** The cluster's nodes, instead of a comma-separated `url`/`display`. */
  servers?: readonly ServerTarget[];
  /**
   * Passed to socket.io-client (timeout, ...), except its reconnection, which the client does
   * itself: `reconnectionDelay` and `reconnectionDelayMax` set the retry schedule's base and cap
   * (see backoff.ts; RECONNECT_BACKOFF by default).
   */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** The clock for pending messages and response lines (default Date.now). */
  now?: () => number;
  /** How long a request waits for its acknowledgement (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** The settings to start with (default: the defaults). */
  settings?: Settings;
  /** Where /set saves changed settings (default: nowhere). */
  settingsFile?: SettingsFile | null;
  /**
   * How often a message is tried while connected when it gets no answer in time, or when the server
   * says `rate_limited` (then after its `retryAfter`), before it is shown failed (default 5).
   */
  sendAttempts?: number;
  /**
   * Where unsent messages are kept between runs (`outbox/` under it; the UI passes
   * `$XDG_STATE_HOME/tui-chat`); null or absent: only in memory.
   */
  stateDir?: string | null;
}

const QUIT_LOGOUT_TIMEOUT_MS = 2000;

export class ChatClient implements ClientActions {
  private readonly store: StateStore;
  private readonly connection: Connection;
  /** The current login's own state; replaced as a whole by resetSession(). */
  private session: Session;
  private readonly ctx: ClientContext;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly infoAbort = new AbortController();
  private loginDone: ((ok: boolean) => void) | null = null;
  /** Counts logins started, so one that waited for the network code knows when a newer one replaced it. */
  private loginSerial = 0;
  private loggingOut = false;
  private closed = false;
  /** An info request is on its way (checkServer). */
  private checking = false;
  private readonly idle: IdleWatch;

  constructor(private readonly options: ChatClientOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.session = new Session(options.sendAttempts ?? 5);
    this.store = new StateStore(initialState(options.display, null, options.settings));
    this.connection = new Connection(serverList(options), options.socketOptions ?? {}, {
      ready: (info, first) => void this.onReady(info, first),
      serverChanged: (server) => this.store.update((s) => (s.server === server.display ? s : { ...s, server: server.display })),
      loginFailed: (error, cause) => this.onLoginFailed(error, cause),
      sessionExpired: (error) => this.endSession(error.message),
      // Down: who is online is not known any more (presence changes meanwhile are not heard).
      retrying: ({ detail, at }) =>
        this.store.update((s) =>
          s.screen === 'chat' ? withPresenceUnknown({ ...s, connection: 'reconnecting', connectionDetail: detail, reconnectAt: at }) : s,
        ),
    });
    this.ctx = this.makeContext();
    this.idle = new IdleWatch(this.ctx);
    void this.checkServer();
  }

  getState(): ClientState {
    return this.store.get();
  }

  subscribe(listener: (state: ClientState) => void): () => void {
    return this.store.subscribe(listener);
  }

  async login(request: LoginRequest): Promise<boolean> {
    if (this.closed) return false;
    const problem = loginProblem(request);
    if (problem) {
      this.store.update((s) => ({ ...s, loginError: problem }));
      return false;
    }
    this.loginDone?.(false);
    this.loginDone = null;
    this.resetSession(normalizeName(request.user));
    this.store.update((s) => ({
      ...loggedOutState(s),
      connection: 'connecting',
      connectionDetail: `connecting to ${s.server}`,
    }));
    if (this.store.get().registrationOpen === null) void this.checkServer();
    // Connecting shows at once (what is typed meanwhile waits for the chat screen); the network
    // code may still be loading. A newer login or a close while it loads wins.
    const serial = ++this.loginSerial;
    await loadSocketIo();
    if (this.closed || serial !== this.loginSerial) return false;
    return new Promise<boolean>((resolve) => {
      this.loginDone = resolve;
      this.connection.open(request, (socket) => attachEvents(socket, this.ctx));
    });
  }

  async submit(line: string): Promise<void> {
    if (this.closed) return;
    this.idle.active();
    if (this.store.get().screen !== 'chat' && !runsBeforeLogin(line)) {
      this.ctx.respond('error', 'Log in first.');
      return;
    }
    await runLine(this.ctx, line);
  }

  async open(conversation: string, options?: OpenOptions): Promise<void> {
    const session = this.session;
    const serial = ++session.openSerial;
    await openConversation(this.ctx, conversation, () => session.alive && serial === session.openSerial, options);
  }

  async loadOlder(conversation: string): Promise<void> {
    await loadOlder(this.ctx, conversation);
  }

  lineEffect(line: string): 'help' | 'quit' | null {
    return lineEffect(line);
  }

  complete(line: string): string[] {
    return complete(line, this.store.get(), registry.all);
  }

  active(): void {
    this.idle.active();
  }

  unsent(): { unsent: number; kept: boolean } {
    return { unsent: this.session.outbox.size, kept: this.session.file !== null };
  }

  retryNow(): boolean {
    return !this.closed && this.connection.retryNow();
  }

  async logout(): Promise<void> {
    this.loggingOut = true;
    try {
      if (this.connection.isReady) await this.ctx.request('session:logout', {});
    } catch {
      // Not answered: the session ends here anyway; the server forgets it after the idle timeout.
    } finally {
      this.resetSession();
      this.loginDone?.(false);
      this.loginDone = null;
      this.store.update((s) => ({ ...loggedOutState(s), connection: 'offline' }));
      this.loggingOut = false;
    }
  }

  close(): void {
    this.closed = true;
    this.infoAbort.abort();
    this.connection.close();
    this.session.drop();
    this.idle.stop();
    this.loginDone?.(false);
    this.loginDone = null;
    this.store.update((s) => ({ ...s, connection: 'offline', connectionDetail: null, reconnectAt: null }));
  }

  private async quit(): Promise<void> {
    this.loggingOut = true;
    if (this.connection.isReady) {
      await emitRequest(this.connection.current, 'session:logout', {}, QUIT_LOGOUT_TIMEOUT_MS).catch(() => undefined);
    }
    this.close();
    this.store.update((s) => ({ ...s, quitRequested: true }));
  }

  private makeContext(): ClientContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below read the client's current session
    const client = this;
    return {
      store: this.store,
      get session() {
        return client.session;
      },
      get outbox() {
        return client.session.outbox;
      },
      get reads() {
        return client.session.reads;
      },
      settingsFile: this.options.settingsFile ?? null,
      now: () => this.now(),
      // Known from login() on: events may arrive between the handshake and 'session:ready'.
      me: () => this.store.get().user ?? this.connection.userName,
      connected: () => this.connection.isReady,
      update: (change) => this.store.update(change),
      request: (event, payload) => emitRequest(this.connection.current, event, payload, this.timeoutMs),
      respond: (kind, text) => this.store.update((s) => addResponse(s, kind, text, this.now())),
      open: (conversation, options) => this.open(conversation, options),
      logout: () => this.logout(),
      quit: () => this.quit(),
      endSession: (message) => this.endSession(message),
      refreshConversations: () => this.refreshConversations(),
    };
  }

  private async onReady(info: SessionInfo, first: boolean): Promise<void> {
    this.store.update((s) => ({
      ...s,
      screen: 'chat',
      connection: 'connected',
      connectionDetail: null,
      reconnectAt: null,
      user: info.user,
      loginError: null,
      idleLogoutAt: null,
    }));
    this.idle.start(info.idleTimeoutSeconds);
    if (first) {
      this.session.readyOn = this.store.get().server;
      await Promise.all([loadConversations(this.ctx), loadOnline(this.ctx), loadBroadcasts(this.ctx)]);
      this.loginDone?.(true);
      this.loginDone = null;
      await this.sendLeftUnsent();
      return;
    }
    // Moved to another node of a cluster: say where, so the status bar's change is not a mystery.
    const on = this.store.get().server;
    const lost = this.session.readyOn;
    this.session.readyOn = on;
    this.ctx.respond('notice', lost !== null && lost !== on ? `Connection restored on ${on} (${lost} was lost).` : 'Connection restored.');
    const [resent] = await Promise.all([resendOutbox(this.ctx), resync(this.ctx)]);
    if (resent > 0) this.ctx.respond('info', `resent ${plural(resent, 'unacknowledged message')}`);
  }

  /** What an earlier run of this user on this server left unsent goes out now, in order. */
  private async sendLeftUnsent(): Promise<void> {
    const file = this.session.file;
    if (!file) return;
    const { entries, problems } = file.claimOrphans();
    for (const problem of problems) this.ctx.respond('error', problem);
    if (entries.length > 0) await restoreOutbox(this.ctx, entries);
  }

  private onLoginFailed(error: ChatError | null, cause: string): void {
    const servers = serverList(this.options);
    const where =
      servers.length > 1 ? `any of the servers ${servers.map((x) => x.display).join(', ')}` : `the server at ${this.options.display}`;
    const message = error ? error.message : `Cannot reach ${where} (${cause}).`;
    this.resetSession();
    const retryAt = error?.retryAfter ? Date.now() + error.retryAfter * 1000 : null;
    this.store.update((s) => ({ ...loggedOutState(s), loginError: message, loginRetryAt: retryAt }));
    this.loginDone?.(false);
    this.loginDone = null;
  }

  /** The server ended the session (idle timeout, expired token, logged out): back to the login screen. */
  private endSession(message: string): void {
    if (this.loggingOut) return;
    this.resetSession();
    this.store.update((s) => ({ ...loggedOutState(s), connection: 'offline', loginError: message }));
    this.loginDone?.(false);
    this.loginDone = null;
  }

  /** The session ends here: the connection closes and everything the session owned goes with it. */
  /** A new Session; `user` (a login starting): its outbox is kept on disk for this server and user. */
  private resetSession(user?: string): void {
    this.idle?.stop(); // (not made yet when the constructor makes the first session)
    this.connection.close();
    this.session.drop();
    const dir = this.options.stateDir;
    const file = dir && user ? new OutboxFile(dir, this.options.display, user) : null;
    this.session = new Session(this.options.sendAttempts ?? 5, file, (problem) => this.ctx.respond('error', problem));
  }

  private refreshConversations(): void {
    const session = this.session;
    if (session.refreshing) {
      session.refreshAgain = true;
      return;
    }
    session.refreshing = loadConversations(this.ctx).finally(() => {
      session.refreshing = null;
      if (session.refreshAgain && session.alive) {
        session.refreshAgain = false;
        this.refreshConversations();
      }
    });
  }

  /** Reads GET <url>/tui-chat/info for registrationOpen; any failure leaves it unknown. */
  /**
   * Asks the server's info endpoint (server-check.ts) while the login screen shows, again after 1,
   * 2, 4, then every 5 s while nothing answers, so the screen says at once when nothing does.
   */
  private async checkServer(attempt = 0): Promise<void> {
    if (this.closed || this.checking) return;
    this.checking = true;
    if (!this.store.get().serverCheck) this.store.update((s) => ({ ...s, serverCheck: { state: 'checking' } }));
    const ca = (this.options.socketOptions as { ca?: string | Buffer } | undefined)?.ca;
    const probe = await probeServer(this.connection.server.url, { ca, signal: this.infoAbort.signal });
    this.checking = false;
    if (this.closed) return;
    if (probe.ok) {
      const open = probe.registrationOpen;
      this.store.update((s) => ({ ...s, registrationOpen: open, serverCheck: { state: 'answers' } }));
      return;
    }
    const delay = Math.min(5000, 1000 * 2 ** attempt);
    this.store.update((s) => ({ ...s, serverCheck: { state: 'silent', problem: probe.problem, retryAt: Date.now() + delay } }));
    const timer = setTimeout(() => {
      if (this.store.get().screen === 'login') void this.checkServer(attempt + 1);
    }, delay);
    timer.unref();
  }
}

/** The servers to use: `servers`, else `url` and `display` split at commas. */
export function serverList(options: Pick<ChatClientOptions, 'url' | 'display' | 'servers'>): ServerTarget[] {
  if (options.servers && options.servers.length > 0) return [...options.servers];
  const urls = options.url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (urls.length <= 1) return [{ url: options.url, display: options.display }];
  const displays = options.display.split(',').map((d) => d.trim());
  return urls.map((url, i) => ({ url, display: displays.length === urls.length ? displays[i]! : url.replace(/^[a-z]+:\/\//i, '') }));
}

function loginProblem(request: LoginRequest): string | null {
  // A new account's name passes the stricter rules (existing ones log in under the older ones).
  const name = request.register ? newNameProblem(request.user) : nameProblem(request.user);
  if (name) return name;
  if (request.password.length === 0) return 'Enter a password.';
  if (request.register && request.password.length < PASSWORD_MIN_LENGTH) {
    return `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (request.password.length > PASSWORD_MAX_LENGTH) return `A password has at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}
