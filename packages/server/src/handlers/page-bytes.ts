/**
 * Pages bounded by their size as sent (see REPLY_PAGE_MAX_BYTES): JSON escapes make a message of
 * control characters six times its text, so counting text bytes let a 45-byte request bring 24 MB.
 */
import { REPLY_PAGE_MAX_BYTES, SUMMARY_TEXT_MAX } from '@tui-chat/protocol';

/** Bytes one item takes in the reply. */
export function encodedBytes(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item));
}

export interface Trimmed<T> {
  items: T[];
  bytes: number;
  /** Items were left out to keep within the bound. */
  cut: boolean;
}

/** The oldest items that fit in `max` bytes (at least one): for pages read forwards. */
export function oldestWithin<T>(items: readonly T[], max: number = REPLY_PAGE_MAX_BYTES): Trimmed<T> {
  let bytes = 0;
  let keep = 0;
  for (; keep < items.length; keep++) {
    const size = encodedBytes(items[keep]);
    if (keep > 0 && bytes + size > max) break;
    bytes += size;
  }
  return { items: items.slice(0, keep), bytes, cut: keep < items.length };
}

/** The newest items that fit in `max` bytes (at least one), oldest first as given: for pages read backwards. */
export function newestWithin<T>(items: readonly T[], max: number = REPLY_PAGE_MAX_BYTES): Trimmed<T> {
  let bytes = 0;
  let from = items.length;
  for (; from > 0; from--) {
    const size = encodedBytes(items[from - 1]);
    if (from < items.length && bytes + size > max) break;
    bytes += size;
  }
  return { items: items.slice(from), bytes, cut: from > 0 };
}

/** A summary's newest message with its text cut (a summary is a list entry, not a page of messages). */
export function shortLast<T extends { last: { text: string } | null }>(summary: T): T {
  const last = summary.last;
  if (!last || last.text.length <= SUMMARY_TEXT_MAX) return summary;
  return { ...summary, last: { ...last, text: `${last.text.slice(0, SUMMARY_TEXT_MAX - 1)}…` } };
}
