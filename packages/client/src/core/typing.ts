/**
 * Typing, both ways. Out: while the input line holds a message being written to the open pair
 * conversation, the other party is told 'typing' at most every TYPING_REFRESH_MS (only as the line
 * changes, so a draft left alone stops showing on their side), and a stop once the line is sent,
 * cleared, turned into a command, or the conversation changes. In: 'typing:update' marks who is
 * writing where until TYPING_EXPIRY_MS pass without another, or their message or stop arrives.
 */
import { conversationOf, otherParty, TYPING_EXPIRY_MS, TYPING_REFRESH_MS, type TypingUpdate } from '@tui-chat/protocol';
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';
import { BROADCASTS, type ClientState } from './types.js';

/**
 * The id the server knows a conversation by, from the key this client keeps it under (the other
 * user's name for a pair), and back. Another kind of conversation maps its own here.
 */
export function wireConversation(me: string, key: string): string {
  // A group's key is its id (`#name`); a pair's is the other user's name.
  return conversationOf(me, key);
}
export function conversationKey(me: string, wire: string): string {
  return otherParty(wire, me);
}

/** A message being written: something other than blanks, and not a command ('//x' is text). */
export function isMessageDraft(text: string): boolean {
  if (text.trim() === '') return false;
  return !text.startsWith('/') || text.startsWith('//');
}

/** The input line holds `text` now. */
export function draftChanged(ctx: ClientContext, text: string): void {
  const state = ctx.store.get();
  const open = state.openConversation;
  const me = ctx.me();
  const to =
    state.settings.typing && ctx.connected() && state.screen === 'chat' && me && open && open !== BROADCASTS && isMessageDraft(text)
      ? wireConversation(me, open)
      : null;
  const session = ctx.session;
  // Only a changed line is typing: the same draft carried to another conversation says nothing yet.
  const typed = text !== session.typingDraft;
  session.typingDraft = text;
  if (session.typingTo !== null && session.typingTo !== to) {
    void quietly(ctx, 'typing:send', { conversation: session.typingTo, active: false });
    session.typingTo = null;
  }
  if (to === null || !typed) return;
  const now = ctx.now();
  if (session.typingTo === to && now - session.typingSentAt < TYPING_REFRESH_MS) return;
  session.typingTo = to;
  session.typingSentAt = now;
  void quietly(ctx, 'typing:send', { conversation: to, active: true });
}

/** `user` stopped writing in `conversation` (a stop, their message, expiry, going offline). */
export function withoutTyping(state: ClientState, conversation: string, user: string): ClientState {
  const there = state.typing[conversation];
  if (!there || !(user in there)) return state;
  const { [user]: _gone, ...rest } = there;
  const typing = { ...state.typing };
  if (Object.keys(rest).length === 0) delete typing[conversation];
  else typing[conversation] = rest;
  return { ...state, typing };
}

/** `user` stopped writing everywhere (they went offline). */
export function withoutTypingOf(state: ClientState, user: string): ClientState {
  let next = state;
  for (const conversation of Object.keys(state.typing)) next = withoutTyping(next, conversation, user);
  return next;
}

/** 'typing:update' from the server. */
export function onTypingUpdate(ctx: ClientContext, update: TypingUpdate): void {
  const me = ctx.me();
  if (typeof update.user !== 'string' || update.user === me || typeof update.conversation !== 'string') return;
  const conversation = conversationKey(me, update.conversation);
  if (!conversation) return;
  if (!update.active) {
    ctx.update((s) => withoutTyping(s, conversation, update.user));
    return;
  }
  const until = ctx.now() + TYPING_EXPIRY_MS;
  ctx.update((s) => ({ ...s, typing: { ...s.typing, [conversation]: { ...s.typing[conversation], [update.user]: until } } }));
  // Gone by itself unless a newer notice moved it on meanwhile.
  ctx.session.later(TYPING_EXPIRY_MS, () =>
    ctx.update((s) => (s.typing[conversation]?.[update.user] === until ? withoutTyping(s, conversation, update.user) : s)),
  );
}

/** Who is writing in `conversation` now, by name. */
export function typingIn(state: ClientState, conversation: string | null): string[] {
  if (!conversation) return [];
  return Object.keys(state.typing[conversation] ?? {}).sort();
}
