/** The shape of a request handler and the checks most of them share. */
import {
  fail,
  MESSAGE_MAX_BYTES,
  nameProblem,
  normalizeName,
  utf8Bytes,
  type ChatError,
  type ParsedPayload,
  type ReplyOf,
  type RequestEvent,
} from '@tui-chat/protocol';
import type { ChatSocket, ServerContext } from '../context.js';

export interface Request<E extends RequestEvent> {
  ctx: ServerContext;
  socket: ChatSocket;
  /** The logged-in user of this session. */
  user: string;
  payload: ParsedPayload<E>;
  /** Runs `fn` after the acknowledgement has been sent (deliveries follow the ack). */
  afterAck(fn: () => void | Promise<void>): void;
  /** Counts a page's bytes against this user's read budget (the heavy requests call it). */
  charge(bytes: number): void;
}

export type Handler<E extends RequestEvent> = (req: Request<E>) => Promise<ReplyOf<E>>;

type Failure = { ok: false; error: ChatError };

/** A valid, normalised user name, or the failure to send back. */
export function checkName(raw: string): { name: string } | Failure {
  const problem = nameProblem(raw);
  if (problem) return fail('invalid_name', `${JSON.stringify(raw.slice(0, 40))} is not a user name: ${problem}`);
  return { name: normalizeName(raw) };
}

/**
 * An existing user other than `self`, or the failure to send back: at once when the name is known
 * (the private message's path awaits only what it must; see handlers/message-send.ts).
 */
export function checkOtherUser(
  ctx: ServerContext,
  raw: string,
  self: string,
  selfMessage: string,
): { name: string } | Failure | Promise<{ name: string } | Failure> {
  const checked = checkName(raw);
  if ('ok' in checked) return checked;
  if (checked.name === self) return fail('self_message', selfMessage);
  const exists = ctx.users.exists(checked.name);
  return typeof exists === 'boolean' ? existing(checked, exists) : exists.then((found) => existing(checked, found));
}

function existing(checked: { name: string }, found: boolean): { name: string } | Failure {
  return found ? checked : fail('unknown_user', `There is no user named ${checked.name}.`, { names: [checked.name] });
}

export function checkText(text: string): Failure | null {
  if (text.trim().length === 0) return fail('empty_message', 'The message is empty; nothing was sent.');
  // PostgreSQL text cannot hold NUL, and no terminal shows it: refused by every store alike.
  if (text.includes('\u0000')) return fail('bad_request', 'A message cannot contain NUL characters (\\0); nothing was sent.');
  const bytes = utf8Bytes(text);
  if (bytes > MESSAGE_MAX_BYTES) {
    return fail('message_too_long', `A message holds at most ${MESSAGE_MAX_BYTES} bytes; this one has ${bytes}. Nothing was sent.`);
  }
  return null;
}
