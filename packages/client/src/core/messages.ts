/**
 * Display messages: built from what the server sends, merged so the same message never shows
 * twice, ordered by their place in the conversation.
 */
import type { BroadcastMessage, ChatMessage } from '@tui-chat/protocol';
import type { DisplayMessage } from './types.js';

/** A stored message as shown. Own messages are keyed by their clientId, others by server id. */
export function fromChatMessage(m: ChatMessage, me: string): DisplayMessage {
  return {
    key: m.from === me ? m.clientId : String(m.id),
    from: m.from,
    to: m.to,
    text: m.text,
    at: m.at,
    status: 'sent',
    seq: m.seq,
    kind: m.kind,
  };
}

/**
 * A broadcast to everyone, as held in the broadcasts list: keyed by sender and clientId (like the
 * pending copy of one's own), its broadcast id as its seq, which orders that list and pages it.
 */
export function fromBroadcast(b: BroadcastMessage, me: string): DisplayMessage {
  return {
    key: b.from === me ? b.clientId : `${b.from}/${b.clientId}`,
    from: b.from,
    to: null,
    text: b.text,
    at: b.at,
    status: 'sent',
    seq: b.id,
    kind: 'broadcast-all',
  };
}

/**
 * The copy of a broadcast to everyone shown inline in a pair conversation that was open when it
 * came: no seq, so it never counts in that conversation's numbering (it stays after the message
 * it followed).
 */
export function inlineBroadcast(shown: DisplayMessage): DisplayMessage {
  const { seq: _seq, ...rest } = shown;
  return rest;
}

/** An own message shown before the server acknowledged it. */
export function pendingMessage(
  clientId: string,
  from: string,
  to: string | null,
  text: string,
  at: number,
  kind: DisplayMessage['kind'],
): DisplayMessage {
  return { key: clientId, from, to, text, at, status: 'pending', kind };
}

function same(a: DisplayMessage, b: DisplayMessage): boolean {
  return (
    a.key === b.key &&
    a.status === b.status &&
    a.seq === b.seq &&
    a.at === b.at &&
    a.text === b.text &&
    a.error === b.error &&
    a.from === b.from &&
    a.to === b.to &&
    a.kind === b.kind
  );
}

/**
 * Merges `incoming` into a conversation's list. One entry per key (or per seq): a confirmed copy
 * (with a seq) replaces a pending or failed one and is never replaced by an unconfirmed one.
 * Returns `list` itself when nothing changed.
 */
export function mergeMessages(list: readonly DisplayMessage[], incoming: readonly DisplayMessage[]): DisplayMessage[] {
  return appendNewer(list, incoming) ?? mergeGeneral(list, incoming);
}

/**
 * The common case, without rebuilding maps or sorting: confirmed messages newer than everything
 * in an already ordered list, under keys it does not hold. They go after the last confirmed
 * message (and the failed ones anchored to it), before the pending ones: exactly where the
 * general merge would put them. Null when that does not apply. O(n) comparisons, no allocation
 * beyond the new array.
 */
function appendNewer(list: readonly DisplayMessage[], incoming: readonly DisplayMessage[]): DisplayMessage[] | null {
  if (incoming.length === 0) return null;
  let previous = -Infinity;
  for (let i = 0; i < incoming.length; i++) {
    const m = incoming[i]!;
    if (m.seq === undefined || !(m.seq > previous)) return null;
    for (let j = 0; j < i; j++) if (incoming[j]!.key === m.key) return null;
    previous = m.seq;
  }
  const first = incoming[0]!.seq!;
  const onlyKey = incoming.length === 1 ? incoming[0]!.key : null;
  const keys = onlyKey === null ? new Set(incoming.map((m) => m.key)) : null;
  // The list must already be in order() form: confirmed ones by rising seq, failed ones where
  // they are, pending ones only at the end.
  let highest = -Infinity;
  let pendingFrom = -1;
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    if (onlyKey !== null ? m.key === onlyKey : keys!.has(m.key)) return null;
    if (m.seq !== undefined) {
      if (pendingFrom !== -1 || !(m.seq > highest)) return null;
      highest = m.seq;
    } else if (m.status === 'pending') {
      if (pendingFrom === -1) pendingFrom = i;
    } else if (pendingFrom !== -1) {
      return null;
    }
  }
  if (!(first > highest)) return null;
  if (pendingFrom === -1) return [...list, ...incoming];
  return [...list.slice(0, pendingFrom), ...incoming, ...list.slice(pendingFrom)];
}

function mergeGeneral(list: readonly DisplayMessage[], incoming: readonly DisplayMessage[]): DisplayMessage[] {
  const result = [...list];
  const byKey = new Map<string, number>();
  const bySeq = new Map<number, number>();
  result.forEach((m, i) => {
    byKey.set(m.key, i);
    if (m.seq !== undefined) bySeq.set(m.seq, i);
  });
  let changed = false;
  for (const m of incoming) {
    const at = byKey.get(m.key) ?? (m.seq !== undefined ? bySeq.get(m.seq) : undefined);
    if (at === undefined) {
      byKey.set(m.key, result.length);
      if (m.seq !== undefined) bySeq.set(m.seq, result.length);
      result.push(m);
      changed = true;
      continue;
    }
    const old = result[at]!;
    if (old.seq !== undefined && m.seq === undefined) continue; // never downgrade a confirmed copy
    if (old.status === 'sent' && m.status !== 'sent') continue;
    const next: DisplayMessage = { ...m, key: old.key };
    if (m.status === 'sent') delete next.error;
    if (same(old, next)) continue;
    result[at] = next;
    if (next.seq !== undefined) bySeq.set(next.seq, at);
    changed = true;
  }
  return changed ? order(result) : (list as DisplayMessage[]);
}

/**
 * Confirmed messages by seq; an unconfirmed failed one stays right after the confirmed message it
 * followed; pending ones stay at the end, in the order they were typed.
 */
function order(list: DisplayMessage[]): DisplayMessage[] {
  const sequenced = list.filter((m) => m.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
  const pending = list.filter((m) => m.seq === undefined && m.status === 'pending');
  const anchored = new Map<number, DisplayMessage[]>();
  let anchor = 0;
  for (const m of list) {
    if (m.seq !== undefined) anchor = Math.max(anchor, m.seq);
    else if (m.status !== 'pending') anchored.set(anchor, [...(anchored.get(anchor) ?? []), m]);
  }
  const out: DisplayMessage[] = [...(anchored.get(0) ?? [])];
  for (const m of sequenced) {
    out.push(m);
    const after = anchored.get(m.seq!);
    if (after) {
      out.push(...after);
      anchored.delete(m.seq!);
    }
  }
  // Anchors whose message is gone (cannot happen, but never lose a line).
  anchored.delete(0);
  for (const rest of anchored.values()) out.push(...rest);
  return [...out, ...pending];
}

/** Changes one own message, found by key, if it is still unconfirmed. */
export function patchMessage(list: readonly DisplayMessage[], key: string, patch: Partial<DisplayMessage>): DisplayMessage[] {
  const i = list.findIndex((m) => m.key === key);
  if (i < 0 || (list[i]!.status === 'sent' && patch.status !== 'sent')) return list as DisplayMessage[];
  const next = [...list];
  next[i] = { ...next[i]!, ...patch };
  return order(next);
}

/** The highest seq in a list (0 when none). */
export function highestSeq(list: readonly DisplayMessage[] | undefined): number {
  let max = 0;
  for (const m of list ?? []) if (m.seq !== undefined && m.seq > max) max = m.seq;
  return max;
}

/** The lowest seq in a list, or null when none is confirmed. */
export function lowestSeq(list: readonly DisplayMessage[] | undefined): number | null {
  let min: number | null = null;
  for (const m of list ?? []) if (m.seq !== undefined && (min === null || m.seq < min)) min = m.seq;
  return min;
}

/** Of `incoming`, what a window `held` takes: messages at or below its newest, then those that continue it one seq after another. */
export function continuing(held: readonly DisplayMessage[], incoming: readonly DisplayMessage[]): DisplayMessage[] {
  let next = highestSeq(held) + 1;
  const kept: DisplayMessage[] = [];
  const sequenced = incoming.filter((m) => m.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
  for (const m of sequenced) {
    if (m.seq! > next) break;
    kept.push(m);
    if (m.seq === next) next++;
  }
  return kept;
}

/** Exposed for tests: the merge without its fast path, to check both agree. */
export const _internal = { mergeGeneral };
