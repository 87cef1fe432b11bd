/** `fill`: one conversation filled with many (large) messages, for the history reader. */
import { clientId, clock, refusalText, socketOf } from './state.js';

export interface FillArgs {
  from: string;
  to: string;
  count: number;
  text: string;
  /** Messages kept unacknowledged. */
  window: number;
}

export interface FillResult {
  acked: number;
  errors: number;
  firstError: string | null;
  seconds: number;
}

/** Sends `count` messages of `text` from one user to another, `window` in flight. */
export function fill(args: FillArgs): Promise<FillResult> {
  const from = socketOf(args.from);
  const start = clock();
  const r: FillResult = { acked: 0, errors: 0, firstError: null, seconds: 0 };
  let sent = 0;
  return new Promise((resolve) => {
    const next = () => {
      if (sent >= args.count) {
        if (r.acked + r.errors === args.count) resolve({ ...r, seconds: (clock() - start) / 1000 });
        return;
      }
      sent++;
      from.emitAck('message:send', { to: args.to, text: args.text, clientId: clientId() }, (rep) => {
        if (rep.ok) r.acked++;
        else {
          r.errors++;
          r.firstError ??= refusalText(rep.error);
        }
        next();
      });
    };
    for (let k = 0; k < Math.min(args.window, args.count); k++) next();
  });
}
