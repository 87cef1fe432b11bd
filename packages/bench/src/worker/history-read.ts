/** `history-read`: one user reading a conversation's history as fast as the server answers. */
import { clock, refusalText, socketOf, wait } from './state.js';

export interface HistoryReadArgs {
  user: string;
  with: string;
  limit: number;
  /** Start after this long; send no new request `durationMs` after the start. */
  delayMs: number;
  durationMs: number;
  /** On a refusal that says `retryAfter`, wait that long before asking again (false: ask at once). */
  waitRetryAfter: boolean;
}

export interface HistoryReadResult {
  pages: number;
  messages: number;
  /** Bytes of every frame the reader's socket received while reading. */
  bytes: number;
  /** Refusals: the session's page-byte budget used up / the connection still owed its last answers / other rate_limited. */
  refusedBudget: number;
  refusedOwed: number;
  refusedOther: number;
  firstRefusal: string | null;
  /** Answers that were neither a page nor rate_limited, or none came. */
  errors: number;
  firstError: string | null;
  /** Request -> answer of each page, ms. */
  pageMs: Float64Array;
  /** Time spent waiting on `retryAfter`, ms. */
  waitedMs: number;
  start: number;
  end: number;
}

/**
 * The next request goes out as soon as the previous is answered, each asking for `limit` messages
 * from the newest page back (`before`) to the start, then from the newest again.
 */
export async function historyRead(args: HistoryReadArgs): Promise<HistoryReadResult> {
  const s = socketOf(args.user);
  await wait(args.delayMs);
  const r: HistoryReadResult = {
    pages: 0,
    messages: 0,
    bytes: 0,
    refusedBudget: 0,
    refusedOwed: 0,
    refusedOther: 0,
    firstRefusal: null,
    errors: 0,
    firstError: null,
    pageMs: new Float64Array(0),
    waitedMs: 0,
    start: clock(),
    end: 0,
  };
  const stopAt = r.start + args.durationMs;
  const pageMs: number[] = [];
  const count = (data: Buffer) => void (r.bytes += data.length);
  s.ws.on('message', count);
  let before: number | null = null;
  try {
    while (clock() < stopAt) {
      if (!s.open) {
        r.errors++;
        r.firstError ??= 'the connection closed';
        break;
      }
      const t = clock();
      const request: { with: string; limit: number; before?: number } =
        before === null ? { with: args.with, limit: args.limit } : { with: args.with, limit: args.limit, before };
      let timer: NodeJS.Timeout | undefined;
      const reply = await Promise.race([
        s.emitWithAck('history:fetch', request),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 60_000))),
      ]);
      clearTimeout(timer);
      if (reply === null) {
        r.errors++;
        r.firstError ??= 'no answer within 60 s';
        break;
      }
      if (reply.ok) {
        r.pages++;
        r.messages += reply.messages?.length ?? 0;
        pageMs.push(clock() - t);
        before = reply.before ?? null;
      } else if (reply.error?.code === 'rate_limited') {
        const text = reply.error.message ?? '';
        if (text.startsWith('You are reading faster')) r.refusedBudget++;
        else if (text.startsWith('Your connection has not taken')) r.refusedOwed++;
        else r.refusedOther++;
        r.firstRefusal ??= text;
        const after = reply.error.retryAfter;
        if (args.waitRetryAfter && after) {
          const ms = Math.min(after * 1000, stopAt - clock());
          r.waitedMs += Math.max(0, ms);
          await wait(ms);
        }
      } else {
        r.errors++;
        r.firstError ??= refusalText(reply.error);
      }
    }
  } finally {
    s.ws.off('message', count);
  }
  r.end = clock();
  r.pageMs = Float64Array.from(pageMs);
  return r;
}
