/**
 * The contract between the headless client (core/) and the Ink UI (ui/). The UI renders a
 * ClientState and calls ChatClient methods; it never touches the socket.
 */
import type { ChatMessage } from '@tui-chat/protocol';
import type { Settings } from '../settings/settings.js';
import type { Hit, PeoplePages, SearchResults } from './pages.js';

export type { Hit, PeoplePages, SearchResults } from './pages.js';

/** The pseudo-conversation that holds broadcasts to everyone. */
export const BROADCASTS = '(broadcasts)';

export type ConnectionState =
  | 'idle' // not connected, not trying (login screen before submitting)
  | 'connecting'
  | 'connected'
  | 'reconnecting' // lost; retrying with backoff
  | 'offline'; // given up / logged out

/** What the login screen says of the server: being asked, answering, or silent (why, and when it is asked again). */
export type ServerCheck = { state: 'checking' } | { state: 'answers' } | { state: 'silent'; problem: string; retryAt: number };

export interface DisplayMessage {
  /**
   * Stable key, unique within its conversation's list: the clientId for own messages, else the
   * server `id`; for another user's broadcast to everyone (no server id) `${from}/${clientId}`.
   */
  key: string;
  from: string;
  to: string | null; // null for a broadcast to everyone
  text: string;
  at: number;
  /** Own messages start 'pending' until acknowledged; 'failed' with a reason when refused. */
  status: 'pending' | 'sent' | 'failed';
  error?: string;
  seq?: number;
  kind: ChatMessage['kind'] | 'broadcast-all';
}

export interface ConversationView {
  /** The other user, or BROADCASTS. */
  with: string;
  unread: number;
  online: boolean;
  lastAt: number | null;
}

/** A message from someone else that arrived live: what the preview line, the bell and notifications are about. */
export interface Arrival {
  /** Increases by one per arrival, so a listener can tell a new one from the last. */
  id: number;
  /** The conversation it belongs to: the other user, or BROADCASTS for a broadcast to everyone. */
  conversation: string;
  from: string;
  text: string;
  at: number;
  kind: DisplayMessage['kind'];
  /** It landed in the open conversation (so it was on screen as it came). */
  inOpen: boolean;
  /** Nothing was open, so its conversation opened for it. */
  opened: boolean;
  /** Its text names this user. */
  mention: boolean;
}

/** Where the `── new ──` line goes: above the first message after `afterSeq` in `conversation`. */
export interface NewMarker {
  conversation: string;
  afterSeq: number;
}

/** Loading older pages of a conversation: under way, or the start was reached (nothing older). */
export type Paging = 'loading' | 'start';

export interface ResponseLine {
  id: number;
  at: number;
  kind: 'info' | 'error' | 'usage' | 'notice';
  /** Plain text; may hold several lines separated by \n. */
  text: string;
}

export interface ClientState {
  /** The client's settings (bell, title, notifications): from the file and flags, changed by /set; kept across logins. */
  settings: Settings;
  /** 'login' shows the login screen; 'chat' the panes. */
  screen: 'login' | 'chat';
  connection: ConnectionState;
  /** A short line for the status bar when not connected, e.g. "server lost; trying now". */
  connectionDetail: string | null;
  /** Reconnecting: when the next attempt starts (ms since the epoch), for a countdown; null while one is under way, and when connected. */
  reconnectAt: number | null;
  /** host:port as the user typed it, for the status bar. */
  server: string;
  user: string | null;
  /** From the server's info endpoint; null until known. */
  registrationOpen: boolean | null;
  /** When the server will log this idle session out (set a minute before, with a notice; any key clears it). */
  idleLogoutAt?: number | null;
  /** Whether a tui-chat server answers at the address (asked before anyone types a password); absent until asked. */
  serverCheck?: ServerCheck;
  /** The last login failure, shown on the login screen. */
  loginError: string | null;
  /** When a refused login may be tried again (a lockout or a rate limit said how long), ms since epoch. */
  loginRetryAt: number | null;
  conversations: ConversationView[];
  /** Other user's name, BROADCASTS, or null. */
  openConversation: string | null;
  /** Messages per conversation key (other user's name or BROADCASTS), oldest first. */
  messages: Record<string, DisplayMessage[]>;
  responses: ResponseLine[];
  /** Users online now (from whoelse and presence updates), self excluded. */
  online: string[];
  /**
   * False while the connection is down and until the first whoelse answer after it is back: then
   * nobody is known to be online (`online` is empty, every conversation's `online` false) and the
   * UI shows everyone's presence as unknown.
   */
  presenceKnown: boolean;
  /**
   * Who is away, with their text ('' without one): yourself and the others online, from whoelse,
   * the people list and presence changes. Away ends when someone goes offline.
   */
  away: Record<string, string>;
  /** The members of this user's groups as last heard (group-members.ts): `#name` -> names. Absent: none held. */
  groupMembers?: Readonly<Record<string, readonly string[]>>;
  /**
   * Who is writing where: conversation key (the other user) -> user -> when it expires (ms since
   * the epoch). An entry goes by itself TYPING_EXPIRY_MS after the last notice, or at once when
   * that user's message or stop arrives.
   */
  typing: Record<string, Record<string, number>>;
  /** Every user name this client has seen, for Tab completion. */
  knownUsers: string[];
  /** The people list's pages (F6, ClientActions.listPeople); null until it is first asked for. */
  people: PeoplePages | null;
  unreadTotal: number;
  /** The newest arrival (null before any); a new object, with a higher id, for each. */
  lastArrival: Arrival | null;
  /** Recent arrivals that were not in the open conversation, oldest first (a few dozen at most), for the preview line. */
  previews: Arrival[];
  /** The `── new ──` line of the open conversation; it stays until another conversation opens. */
  newMarker: NewMarker | null;
  /** Per conversation: an older page is loading, or the start is reached. Absent: older pages may exist. */
  paging: Record<string, Paging>;
  /**
   * Conversations held as a window away from their newest messages (opened at a search hit): newer
   * ones exist on the server ('more'), or their page is loading. Absent: what is held reaches the
   * newest. Such a window takes only messages that continue it (core/window.ts).
   */
  newer: Record<string, 'more' | 'loading'>;
  /** The last /search (its overlay shows it); null before any, or after it was refused. */
  search: SearchResults | null;
  /** The message the messages pane is to bring into view and mark (set once its context is loaded). */
  hit: Hit | null;
  /**
   * Set (with connection 'offline') once the user typed /quit: the client is closed and the UI
   * should restore the terminal and exit. Added by core; absent means false.
   */
  quitRequested?: boolean;
}

export interface LoginRequest {
  user: string;
  password: string;
  register?: boolean;
  /** Keep the session token on this device, so the next start logs in without the password. */
  remember?: boolean;
}

/** What the UI may ask of the client. Implemented by ChatClient in core/chat-client.ts. */
export interface ClientActions {
  getState(): ClientState;
  /** Called after every state change; returns an unsubscribe function. */
  subscribe(listener: (state: ClientState) => void): () => void;
  /** Logs in (or registers); resolves true on success, false with state.loginError set. */
  login(request: LoginRequest): Promise<boolean>;
  /**
   * Logs in with the session token remembered on this device for this server (for `user`, or the
   * last one remembered); false at once when none is, or when the server no longer takes it (the
   * login screen then says so in one sentence and the file is removed).
   */
  resume(user?: string): Promise<boolean>;
  /**
   * One line from the input box: a slash command, or text for the open conversation ('//x' sends
   * '/x'). Resolves when the command is done: a send once acknowledged, refused, or left pending in
   * the outbox (not connected: resent after the next reconnect; no answer or `rate_limited`: retried
   * with the same clientId a bounded number of times, then shown failed). Sends go out in order.
   */
  submit(line: string): Promise<void>;
  /** Opens a conversation (fetches its history, marks it read). */
  open(conversation: string): Promise<void>;
  /**
   * Loads the page before the oldest message held of a conversation (state.paging says while it
   * loads, and when the start is reached). Does nothing while one loads or at the start.
   */
  loadOlder(conversation: string): Promise<void>;
  /**
   * Completions for the input line at the cursor: commands after '/', then user names.
   *
   * `line` is the input text up to the cursor; the word being completed is the one at its end
   * (possibly empty). Returns FULL CANDIDATE LINES, sorted: each is `line` with that last word
   * replaced by one candidate followed by a single space, e.g.
   * - `complete('/ms')` → `['/msg ']`; `complete('/')` → every command and alias;
   * - `complete('/msg b')` → `['/msg bill ', '/msg bob ']` (known users, self excluded);
   * - `complete('/help b')` → `['/help block ', '/help blocks ', '/help broadcast ']`;
   * - `complete('/open (')` → `['/open (broadcasts) ']`;
   * - plain text completes its last word against user names: `complete('hi b')` → `['hi bob ']`.
   * Returns [] when nothing fits or the position takes free text (the message of /msg).
   * The UI keeps any text after the cursor and cycles through the candidates on repeated Tab.
   */
  complete(line: string): string[];
  /**
   * When the word at the end of `line` takes a user name and this login may not hold every name
   * starting with it (a large server: only the first page is loaded at login), asks the server for
   * them. Resolves true when names new to completion came (complete again), false otherwise.
   */
  lookupNames(line: string): Promise<boolean>;
  /** What a line does to the screen itself (a command's `ui`, typed alone): open the help, or quit after it runs; null for anything else. */
  lineEffect(line: string): 'help' | 'quit' | null;
  /** Loads the next page of the last /search's hits (state.search). */
  searchMore(): Promise<void>;
  /** Opens a conversation at one message (a search hit), with the messages around it loaded; state.hit marks it. */
  showMessage(conversation: string, seq: number): Promise<void>;
  /** A conversation held away from its newest messages: loads the page after the newest held (state.newer). */
  loadNewer(conversation: string): Promise<void>;
  /** Loads the people list's first page of names starting with `prefix`, or (`next`) the page after those loaded; into state.people. */
  listPeople(prefix: string, next?: boolean): Promise<void>;
  /**
   * The input line holds this now (called as it changes, and when the open conversation changes):
   * the other party hears 'typing' while it is a message being written there (at most every
   * TYPING_REFRESH_MS), and a stop once it is sent or cleared. Not with the typing setting off.
   */
  draft(text: string): void;
  /** A key was pressed: the person is here (the server hears of it at most once a minute; see core/idle.ts). */
  active(): void;
  /** Own messages the server has not taken yet, and whether they are kept on disk for the next login. */
  unsent(): { unsent: number; kept: boolean };
  /** Reconnecting: starts the next attempt now instead of at the end of the countdown; false when none is waiting. */
  retryNow(): boolean;
  logout(): Promise<void>;
  /** Disconnects for good. */
  close(): void;
}
