/**
 * Pure helpers over ClientState: the conversation list (order, unread, online), message lists,
 * known users and the responses pane. Each returns a new state, or the same one when nothing changed.
 */
import { BROADCASTS, type ClientState, type ConversationView, type DisplayMessage, type ResponseLine } from './types.js';
import { continuing, mergeMessages } from './messages.js';

const RESPONSES_KEPT = 500;

/** Most recent first; conversations without messages by name; the broadcasts entry last. */
function sortViews(views: ConversationView[]): ConversationView[] {
  return [...views].sort((a, b) => {
    if (a.with === BROADCASTS) return 1;
    if (b.with === BROADCASTS) return -1;
    return (b.lastAt ?? 0) - (a.lastAt ?? 0) || a.with.localeCompare(b.with);
  });
}

/** Replaces the conversation list; keeps the order rule and unreadTotal right. */
export function withViews(state: ClientState, views: ConversationView[]): ClientState {
  const sorted = sortViews(views);
  const unreadTotal = sorted.reduce((n, v) => n + v.unread, 0);
  const unchanged = sorted.length === state.conversations.length && sorted.every((v, i) => sameView(v, state.conversations[i]!));
  if (unchanged && unreadTotal === state.unreadTotal) return state;
  return { ...state, conversations: unchanged ? state.conversations : sorted, unreadTotal };
}

function sameView(a: ConversationView, b: ConversationView): boolean {
  return a.with === b.with && a.unread === b.unread && a.online === b.online && a.lastAt === b.lastAt;
}

export function findView(state: ClientState, name: string): ConversationView | undefined {
  return state.conversations.find((v) => v.with === name);
}

/** Adds the conversation when missing, then applies `patch` to it. */
export function upsertView(
  state: ClientState,
  name: string,
  patch: (view: ConversationView) => Partial<ConversationView> = () => ({}),
): ClientState {
  const existing = findView(state, name);
  const base: ConversationView = existing ?? {
    with: name,
    unread: 0,
    online: name !== BROADCASTS && state.online.includes(name),
    lastAt: null,
  };
  const next = { ...base, ...patch(base) };
  const views = existing ? state.conversations.map((v) => (v.with === name ? next : v)) : [...state.conversations, next];
  return addKnownUsers(withViews(state, views), name === BROADCASTS ? [] : [name]);
}

/** Takes a conversation out of the list with its messages (a group left); closes it when open. */
export function dropConversation(state: ClientState, name: string): ClientState {
  const { [name]: _gone, ...messages } = state.messages;
  const next = withViews(
    { ...state, messages },
    state.conversations.filter((v) => v.with !== name),
  );
  return next.openConversation === name ? { ...next, openConversation: null, newMarker: null } : next;
}

/** Merges messages into one conversation's list and moves its lastAt. */
export function addMessages(state: ClientState, name: string, incoming: DisplayMessage[]): ClientState {
  const old = state.messages[name] ?? [];
  // A window away from the newest (a search hit's) takes only what continues it (window.ts).
  const taken = state.newer[name] === undefined ? incoming : continuing(old, incoming);
  if (taken.length === 0) return state;
  const merged = mergeMessages(old, taken);
  if (merged === old && state.messages[name]) return state;
  const next = { ...state, messages: { ...state.messages, [name]: merged } };
  const senders = taken.map((m) => m.from);
  return addKnownUsers(next, senders);
}

/** Moves a conversation's lastAt forward to its newest message. */
export function touchView(state: ClientState, name: string, at: number): ClientState {
  if (!findView(state, name)) return state;
  return upsertView(state, name, (v) => ({ lastAt: Math.max(v.lastAt ?? 0, at) }));
}

/** Sets the users online now (self excluded) and the online flag of each conversation. */
export function withOnline(state: ClientState, online: string[]): ClientState {
  const me = state.user;
  const list = [...new Set(online)].filter((u) => u !== me).sort();
  const same = list.length === state.online.length && list.every((u, i) => u === state.online[i]);
  const next = same ? state : { ...state, online: list };
  const views = next.conversations.map((v) =>
    v.with === BROADCASTS || v.online === list.includes(v.with) ? v : { ...v, online: list.includes(v.with) },
  );
  return addKnownUsers(withViews(next, views), list);
}

/**
 * The connection is down: nobody is known to be online (or away, or typing) until the next whoelse
 * answer. Your own away stays: it is sent again once the connection is back.
 */
export function withPresenceUnknown(state: ClientState): ClientState {
  const next = withOnline(state, []);
  const me = state.user;
  const mine = me !== null ? state.away[me] : undefined;
  const othersAway = Object.keys(next.away).some((u) => u !== me);
  const cleared = {
    ...next,
    ...(othersAway ? { away: mine === undefined ? {} : { [me!]: mine } } : {}),
    ...(Object.keys(next.typing).length > 0 ? { typing: {} } : {}),
  };
  return cleared.presenceKnown ? { ...cleared, presenceKnown: false } : cleared;
}

/** Remembers user names for completion (self and groups excluded, sorted). */
export function addKnownUsers(state: ClientState, names: readonly string[]): ClientState {
  const fresh = names.filter((n) => n && n !== state.user && n !== BROADCASTS && !n.startsWith('#') && !state.knownUsers.includes(n));
  if (fresh.length === 0) return state;
  return { ...state, knownUsers: [...new Set([...state.knownUsers, ...fresh])].sort() };
}

/** Appends a line to the responses pane (the newest RESPONSES_KEPT are kept); ids count up within the list. */
export function addResponse(state: ClientState, kind: ResponseLine['kind'], text: string, at: number): ClientState {
  const line: ResponseLine = { id: (state.responses.at(-1)?.id ?? 0) + 1, at, kind, text };
  const responses = [...state.responses, line];
  return { ...state, responses: responses.length > RESPONSES_KEPT ? responses.slice(-RESPONSES_KEPT) : responses };
}
