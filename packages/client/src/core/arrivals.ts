/**
 * Messages from others as they arrive: the newest one (for the bell, the title and notifications)
 * and, per conversation, the newest one that was not in the open conversation (for the preview
 * line). Pure helpers over ClientState.
 */
import { findView } from './conversations.js';
import type { Arrival, ClientState } from './types.js';

/** Conversations remembered for the preview line. */
const PREVIEWS_KEPT = 32;

/** Records an arrival; `arrival.id` is assigned here. */
export function withArrival(state: ClientState, arrival: Omit<Arrival, 'id'>): ClientState {
  const next: Arrival = { ...arrival, id: (state.lastArrival?.id ?? 0) + 1 };
  if (next.inOpen) return { ...state, lastArrival: next };
  const previews = state.previews.filter((p) => p.conversation !== next.conversation);
  previews.push(next);
  return { ...state, lastArrival: next, previews: previews.length > PREVIEWS_KEPT ? previews.slice(-PREVIEWS_KEPT) : previews };
}

/**
 * Messages that waited while this user was away (the newest of each conversation with unread
 * messages, from the server's summaries), for the preview line. Not arrivals: no bell, no
 * notification. A conversation's newer preview is kept.
 */
export function withWaiting(state: ClientState, waiting: readonly Omit<Arrival, 'id'>[]): ClientState {
  const fresh = waiting.filter((w) => !state.previews.some((p) => p.conversation === w.conversation && p.at >= w.at));
  if (fresh.length === 0) return state;
  const previews = state.previews.filter((p) => !fresh.some((w) => w.conversation === p.conversation));
  previews.push(...fresh.map((w) => ({ ...w, id: 0 })));
  previews.sort((a, b) => a.at - b.at);
  return { ...state, previews: previews.slice(-PREVIEWS_KEPT) };
}

export interface Preview {
  arrival: Arrival;
  /** Other conversations (not open, not this one) with unread messages. */
  others: number;
}

/** What the preview line shows: the newest arrival of a conversation that is not open and still unread. */
export function currentPreview(state: ClientState): Preview | null {
  const open = state.openConversation;
  for (let i = state.previews.length - 1; i >= 0; i--) {
    const arrival = state.previews[i]!;
    if (arrival.conversation === open || !(findView(state, arrival.conversation)?.unread ?? 0)) continue;
    const others = state.conversations.filter((v) => v.unread > 0 && v.with !== open && v.with !== arrival.conversation).length;
    return { arrival, others };
  }
  return null;
}

const NAME_CHAR = /[a-z0-9_.-]/i;

/**
 * Where `name` appears in `text` as a word of its own (case-insensitive): not inside a longer name,
 * though a sentence's full stop may follow it ("thanks, alice."). [start, end) pairs, in order.
 */
export function mentionRanges(text: string, name: string): [number, number][] {
  if (!name) return [];
  const ranges: [number, number][] = [];
  const lower = text.toLowerCase();
  const needle = name.toLowerCase();
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (at > 0 && NAME_CHAR.test(text[at - 1]!)) continue;
    const after = text[end];
    if (after !== undefined && NAME_CHAR.test(after)) {
      // "alice." or "alice..." ending a sentence, but not "alice.b" (another name).
      let i = end;
      while (text[i] === '.') i++;
      if (i === end || (text[i] !== undefined && NAME_CHAR.test(text[i]!))) continue;
    }
    ranges.push([at, end]);
  }
  return ranges;
}

export function mentions(text: string, name: string): boolean {
  return mentionRanges(text, name).length > 0;
}
