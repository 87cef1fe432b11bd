/**
 * The headless chat client: owns the connection, keeps the ClientState (a new object per change)
 * and turns UI actions into requests. The Ink UI only renders the state and calls these methods.
 */
import { normalizeName, type SessionInfo, type ChatError } from '@tui-chat/protocol';
import { lineEffect, registry, runLine, runsBeforeLogin } from './commands/index.js';
import { complete } from './completion.js';
import { lookupNames } from './name-lookup.js';
import { Connection } from './connection.js';
import { serverList, serversPhrase, type ChatClientOptions } from './client-options.js';
import { loginProblem } from './login-problem.js';
import { ServerWatch } from './server-watch.js';
import { clientContext } from './client-context.js';
import type { ClientContext } from './context.js';
import { connectingState, onServerState, retryingState } from './connection-state.js';
import { attachEvents } from './events/index.js';
import { initialState, loggedOutState } from './initial-state.js';
import { openConversation, type OpenOptions } from './open-conversation.js';
import { loadOlder } from './older.js';
import { listPeople } from './people.js';
import { showMessage } from './jump.js';
import { searchMore } from './search.js';
import { loadNewer } from './window.js';
import { Session } from './session.js';
import { emitRequest } from './request.js';
import { OutboxFile } from './outbox-file.js';
import { DeviceLogin } from './device-login.js';
import { PendingLogin } from './pending-login.js';
import { StateStore } from './state-store.js';
import { LineQueue } from './line-queue.js';
import { sessionReady } from './session-ready.js';
import type { ClientActions, ClientState, LoginRequest } from './types.js';
import { loadSocketIo } from './socket-io.js';
import { IdleWatch } from './idle.js';
import { draftChanged } from './typing.js';

const QUIT_LOGOUT_TIMEOUT_MS = 2000;

export class ChatClient implements ClientActions {
  private readonly store: StateStore;
  private readonly connection: Connection;
  /** The current login's own state; replaced as a whole by resetSession(). */
  private session: Session;
  private readonly ctx: ClientContext;
  private readonly pending = new PendingLogin();
  private loggingOut = false;
  private closed = false;
  private readonly idle: IdleWatch;
  private readonly watch: ServerWatch;
  /** "Remember this device": the token of the login under way, kept or forgotten. */
  private readonly device: DeviceLogin;
  /** The typed lines: each runs after the one before (submit). */
  private readonly lines = new LineQueue();

  constructor(private readonly options: ChatClientOptions) {
    this.session = new Session(options.sendAttempts ?? 5);
    this.store = new StateStore(initialState(options.display, null, options.settings));
    this.connection = new Connection(serverList(options), options.socketOptions ?? {}, {
      ready: (info, first) => void this.onReady(info, first),
      serverChanged: (server) => this.store.update((s) => onServerState(s, server.display)),
      loginFailed: (error, cause) => this.onLoginFailed(error, cause),
      sessionExpired: (error) => this.endSession(error.message),
      retrying: (info) => this.store.update((s) => retryingState(s, info)),
    });
    this.device = new DeviceLogin(options.stateDir, options.display);
    this.ctx = clientContext({
      store: this.store,
      connection: this.connection,
      session: () => this.session,
      settingsFile: options.settingsFile ?? null,
      now: options.now ?? Date.now,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      open: (conversation, openOptions) => this.open(conversation, openOptions),
      logout: () => this.logout(),
      quit: () => this.quit(),
      endSession: (message) => this.endSession(message),
    });
    this.idle = new IdleWatch(this.ctx);
    const ca = (options.socketOptions as { ca?: string | Buffer } | undefined)?.ca;
    this.watch = new ServerWatch(this.store, () => this.connection.server.url, ca);
    void this.watch.check();
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
    return this.start(request, null);
  }

  async resume(user?: string): Promise<boolean> {
    if (this.closed) return false;
    const kept = this.device.load(user);
    if (!kept) return false;
    return this.start({ user: kept.user, password: '', remember: true }, kept.token);
  }

  private async start(request: LoginRequest, token: string | null): Promise<boolean> {
    this.pending.settle(false);
    this.resetSession(normalizeName(request.user));
    this.device.begin(request.user, request.remember === true, token);
    this.store.update(connectingState);
    if (this.store.get().registrationOpen === null) void this.watch.check();
    // Connecting shows at once (what is typed meanwhile waits for the chat screen); the network
    // code may still be loading. A newer login or a close while it loads wins.
    const serial = this.pending.next();
    await loadSocketIo();
    if (this.closed || !this.pending.isCurrent(serial)) return false;
    return this.pending.wait(() => this.connection.open(request, (socket) => attachEvents(socket, this.ctx), token));
  }

  /** Runs a typed line once the lines before it have run, in the order they were entered (line-queue.ts). */
  submit(line: string): Promise<void> {
    return this.lines.add(() => this.runOne(line));
  }

  private async runOne(line: string): Promise<void> {
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

  async searchMore(): Promise<void> {
    await searchMore(this.ctx);
  }

  async showMessage(conversation: string, seq: number): Promise<void> {
    const session = this.session;
    const serial = ++session.openSerial;
    await showMessage(this.ctx, conversation, seq, () => session.alive && serial === session.openSerial);
  }

  async loadNewer(conversation: string): Promise<void> {
    await loadNewer(this.ctx, conversation);
  }

  async listPeople(prefix: string, next?: boolean): Promise<void> {
    await listPeople(this.ctx, prefix, next);
  }

  lineEffect(line: string): 'help' | 'quit' | null {
    return lineEffect(line);
  }

  complete(line: string): string[] {
    return complete(line, this.store.get(), registry.all);
  }

  lookupNames(line: string): Promise<boolean> {
    return this.closed ? Promise.resolve(false) : lookupNames(this.ctx, this.ctx.session.names, line, registry.all);
  }

  active(): void {
    this.idle.active();
  }

  draft(text: string): void {
    if (this.closed) return;
    draftChanged(this.ctx, text);
    // Names a command's argument may complete to, asked early for Tab (not a message's every word).
    if (text.startsWith('/')) void this.lookupNames(text);
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
      // Logged out on purpose: this device stops remembering the session, answered or not.
      this.device.forget();
      this.resetSession();
      this.pending.settle(false);
      this.store.update((s) => ({ ...loggedOutState(s), connection: 'offline' }));
      this.loggingOut = false;
    }
  }

  close(): void {
    this.closed = true;
    this.watch.close();
    this.connection.close();
    this.session.drop();
    this.idle.stop();
    this.pending.settle(false);
    this.store.update((s) => ({ ...s, connection: 'offline', connectionDetail: null, reconnectAt: null }));
  }

  private async quit(): Promise<void> {
    this.loggingOut = true;
    // A remembered session outlives /quit (the next start logs in with it); any other ends here.
    if (this.connection.isReady && !this.device.keepsSession) {
      await emitRequest(this.connection.current, 'session:logout', {}, QUIT_LOGOUT_TIMEOUT_MS).catch(() => undefined);
    }
    this.close();
    this.store.update((s) => ({ ...s, quitRequested: true }));
  }

  private async onReady(info: SessionInfo, first: boolean): Promise<void> {
    this.idle.start(info.idleTimeoutSeconds);
    if (first) this.device.ready(info.user, info.token, (problem) => this.ctx.respond('error', problem));
    await sessionReady(this.ctx, info, first, () => this.pending.settle(true));
  }

  private onLoginFailed(error: ChatError | null, cause: string): void {
    const message = this.device.refused(error) ?? (error ? error.message : `Cannot reach ${serversPhrase(this.options)} (${cause}).`);
    this.resetSession();
    const retryAt = error?.retryAfter ? Date.now() + error.retryAfter * 1000 : null;
    this.store.update((s) => ({ ...loggedOutState(s), loginError: message, loginRetryAt: retryAt }));
    this.pending.settle(false);
  }

  /** The server ended the session (idle timeout, expired token, logged out): back to the login screen. */
  private endSession(message: string): void {
    if (this.loggingOut) return;
    // The token no longer works (idle timeout, logged out elsewhere): nothing to remember.
    this.device.forget();
    this.resetSession();
    this.store.update((s) => ({ ...loggedOutState(s), connection: 'offline', loginError: message }));
    this.pending.settle(false);
  }

  /**
   * The session ends here: the connection closes and everything the session owned goes with it. A
   * new Session takes its place; `user` (a login starting): its outbox is kept on disk for this
   * server and user.
   */
  private resetSession(user?: string): void {
    this.idle?.stop(); // (not made yet when the constructor makes the first session)
    this.connection.close();
    this.session.drop();
    const dir = this.options.stateDir;
    const file = dir && user ? new OutboxFile(dir, this.options.display, user) : null;
    this.session = new Session(this.options.sendAttempts ?? 5, file, (problem) => this.ctx.respond('error', problem));
  }
}
