/**
 * The headless chat client: owns the connection, keeps the ClientState (a new object per change)
 * and turns UI actions into requests. The Ink UI only renders the state and calls these methods.
 * A login's life (started, ready, refused, ended, logged out, quit) is LoginFlow's (login-flow.ts).
 */
import { lineEffect, registry, runLine, runsBeforeLogin } from './commands/index.js';
import { complete } from './completion.js';
import { lookupNames } from './name-lookup.js';
import { Connection } from './connection.js';
import { serverList, type ChatClientOptions } from './client-options.js';
import { loginProblem } from './login-problem.js';
import { ServerWatch } from './server-watch.js';
import { clientContext } from './client-context.js';
import type { ClientContext } from './context.js';
import { onServerState, retryingState } from './connection-state.js';
import { initialState } from './initial-state.js';
import { openConversation, type OpenOptions } from './open-conversation.js';
import { loadOlder } from './older.js';
import { listPeople } from './people.js';
import { showMessage } from './jump.js';
import { searchMore } from './search.js';
import { loadNewer } from './window.js';
import { Session } from './session.js';
import { OutboxFile } from './outbox-file.js';
import { LoginFlow } from './login-flow.js';
import { StateStore } from './state-store.js';
import { LineQueue } from './line-queue.js';
import type { ClientActions, ClientState, LoginRequest } from './types.js';
import { IdleWatch } from './idle.js';
import { draftChanged } from './typing.js';

export class ChatClient implements ClientActions {
  private readonly store: StateStore;
  private readonly connection: Connection;
  /** The current login's own state; replaced as a whole by resetSession(). */
  private session: Session;
  private readonly ctx: ClientContext;
  private readonly flow: LoginFlow;
  private closed = false;
  private readonly idle: IdleWatch;
  private readonly watch: ServerWatch;
  /** The typed lines: each runs after the one before (submit). */
  private readonly lines = new LineQueue();

  constructor(private readonly options: ChatClientOptions) {
    this.session = new Session(options.sendAttempts ?? 5);
    this.store = new StateStore(initialState(options.display, null, options.settings));
    this.connection = new Connection(serverList(options), options.socketOptions ?? {}, {
      ready: (info, first) => void this.flow.ready(info, first),
      serverChanged: (server) => this.store.update((s) => onServerState(s, server.display)),
      loginFailed: (error, cause) => this.flow.failed(error, cause),
      sessionExpired: (error) => this.flow.ended(error.message),
      retrying: (info) => this.store.update((s) => retryingState(s, info)),
    });
    this.ctx = clientContext({
      store: this.store,
      connection: this.connection,
      session: () => this.session,
      settingsFile: options.settingsFile ?? null,
      now: options.now ?? Date.now,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      open: (conversation, openOptions) => this.open(conversation, openOptions),
      logout: () => this.flow.logout(),
      quit: () => this.flow.quit(),
      endSession: (message) => this.flow.ended(message),
    });
    this.idle = new IdleWatch(this.ctx);
    const ca = (options.socketOptions as { ca?: string | Buffer } | undefined)?.ca;
    this.watch = new ServerWatch(this.store, () => this.connection.server.url, ca);
    void this.watch.check();
    this.flow = new LoginFlow({
      options,
      store: this.store,
      connection: this.connection,
      ctx: this.ctx,
      idle: this.idle,
      watch: this.watch,
      isClosed: () => this.closed,
      resetSession: (user) => this.resetSession(user),
      close: () => this.close(),
    });
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
    return this.flow.start(request, null);
  }

  async resume(user?: string): Promise<boolean> {
    return this.closed ? false : this.flow.resume(user);
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

  logout(): Promise<void> {
    return this.flow.logout();
  }

  retryNow(): boolean {
    return !this.closed && this.connection.retryNow();
  }

  close(): void {
    this.closed = true;
    this.watch.close();
    this.connection.close();
    this.session.drop();
    this.idle.stop();
    this.flow.close();
    this.store.update((s) => ({ ...s, connection: 'offline', connectionDetail: null, reconnectAt: null }));
  }

  /**
   * The session ends here: the connection closes and everything the session owned goes with it. A
   * new Session takes its place; `user` (a login starting): its outbox is kept on disk for this
   * server and user.
   */
  private resetSession(user?: string): void {
    this.idle.stop();
    this.connection.close();
    this.session.drop();
    const dir = this.options.stateDir;
    const file = dir && user ? new OutboxFile(dir, this.options.display, user) : null;
    this.session = new Session(this.options.sendAttempts ?? 5, file, (problem) => this.ctx.respond('error', problem));
  }
}
