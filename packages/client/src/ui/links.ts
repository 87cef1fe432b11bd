/**
 * Web addresses in (sanitised) text: where they are, and the terminal hyperlink (OSC 8) that
 * makes each row of one the same clickable link, so an address wrapped over several rows still
 * opens whole in terminals that know OSC 8 (tmux 3.3 ignores the sequence and shows the text).
 *
 * Only http and https, and the address that goes into the escape sequence is the one the URL
 * parser wrote back: printable ASCII (non-ASCII percent-encoded, hosts in punycode), so it holds
 * no control character, no ESC and no BEL that could end the sequence early. The sequence ends
 * with BEL rather than ESC \: Ink's tokenizer (@alcalzone/ansi-tokenize) knows OSC 8 only in
 * that form, and with it carries the link across the cells of a row and closes it at the end.
 */
import type { Mark } from './segments.js';
import { wrapSpans } from './text-layout.js';

export interface LinkRange {
  /** Offsets into the text, end excluded. */
  start: number;
  end: number;
  /** The address as the link opens it. */
  href: string;
}

/** Terminals cap a hyperlink's address (VTE at 2083 bytes); a longer one is shown, not linked. */
export const MAX_HREF = 2048;

/** A backslash ends an address: the sanitiser's escapes ("\u200B") are not part of it. */
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`\\]+/gi;
const TRAILING = /[.,;:!?*'"]$/;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const count = (text: string, ch: string) => text.split(ch).length - 1;

/** Drops what usually follows an address in prose: a full stop, a comma, an unbalanced bracket. */
function trimEnd(text: string): string {
  for (;;) {
    const last = text.at(-1) ?? '';
    const open = PAIRS[last];
    if (TRAILING.test(last) || (open !== undefined && count(text, open) < count(text, last))) text = text.slice(0, -1);
    else return text;
  }
}

/** The address a link may carry, or null when it is not a safe http(s) address. */
export function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const href = url.href;
  return href.length <= MAX_HREF && /^[\x21-\x7e]+$/.test(href) ? href : null;
}

/** The web addresses in a line of sanitised text, in order. */
export function findLinks(text: string): LinkRange[] {
  if (!text.includes('://')) return [];
  const out: LinkRange[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const shown = trimEnd(m[0]);
    const href = safeHref(shown);
    if (href && shown.length > 'https://'.length) out.push({ start: m.index, end: m.index + shown.length, href });
  }
  return out;
}

/** A short id from the address (FNV-1a), so a terminal can light up every row of one link together. */
function linkId(href: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < href.length; i++) {
    h ^= href.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** The OSC 8 sequence that opens a link (href must come from safeHref). */
export function linkOpen(href: string): string {
  return `\x1b]8;id=${linkId(href)};${href}\x07`;
}

/** The OSC 8 sequence that ends a link. */
export const LINK_CLOSE = '\x1b]8;;\x07';

/** One row of a wrapped line, with the parts of addresses on it (offsets into the row). */
export interface LinkedRow {
  text: string;
  links: LinkRange[];
}

/** Wraps a line of sanitised text (see wrapSpans), an address that does not fit on a row of its own. */
export function wrapLinked(line: string, width: number): LinkedRow[] {
  const links = findLinks(line);
  return wrapSpans(line, width, links).map(({ start, end }) => ({
    text: line.slice(start, end),
    links: links
      .filter((l) => l.start < end && l.end > start)
      .map((l) => ({ start: Math.max(l.start, start) - start, end: Math.min(l.end, end) - start, href: l.href })),
  }));
}

/** How a row shows its addresses: underlined, and each a link. */
export function linkMarks(links: readonly LinkRange[]): Mark[] {
  return links.map((l) => ({ start: l.start, end: l.end, style: { underline: true, link: l.href } }));
}
