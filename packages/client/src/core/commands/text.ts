/**
 * A line that is not a command: a message to the open conversation. With the broadcasts
 * pseudo-conversation open it is a broadcast to everyone online (as in a channel); with nothing
 * open the responses pane says how to open one, and nothing is sent.
 */
import type { ClientContext } from '../context.js';
import { sendBroadcastAll, sendDirect } from '../send.js';
import { BROADCASTS } from '../types.js';
import { textProblem } from './args.js';

export const NOTHING_OPEN = 'No conversation is open: /open <user> opens one, /msg <user> <text> sends without opening one.';

export async function sendText(ctx: ClientContext, text: string): Promise<void> {
  const open = ctx.store.get().openConversation;
  if (open === null) {
    ctx.respond('usage', NOTHING_OPEN);
    return;
  }
  const problem = textProblem(text);
  if (problem) {
    ctx.respond('error', problem);
    return;
  }
  if (open === BROADCASTS) await sendBroadcastAll(ctx, text, true);
  else await sendDirect(ctx, open, text, false);
}
