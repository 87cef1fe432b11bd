/** Error codes carried in every failed acknowledgement and refused handshake. */
export const ERROR_CODES = [
  'bad_request', // the payload has the wrong shape
  'invalid_name', // a user name breaks the name rules
  'invalid_password', // a password breaks the password rules
  'unknown_user', // a named user has no account
  'bad_credentials', // wrong name or password
  'locked_out', // too many failed logins for this name from this address
  'registration_closed', // the server does not accept new accounts
  'name_taken', // registration for a name that exists
  'session_expired', // a reconnect token that is no longer valid
  'empty_message',
  'message_too_long',
  'self_message', // a message to yourself
  'blocked', // the recipient blocks the sender
  'invalid_minutes', // wholast N out of range
  'invalid_cursor',
  'not_logged_in',
  'rate_limited',
  'unknown_group', // no group has that name
  'not_member', // the group exists, but you are not in it
  'group_full', // the group has GROUP_MEMBERS_MAX members
  'too_many_groups', // someone is in GROUPS_PER_USER_MAX groups already
  'unavailable', // the server cannot reach its database or (in a cluster) Redis just now; nothing was changed, try again
  'internal', // the server failed; nothing was changed
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Refusals a later try may get past (the server failed, was busy, or could not reach its
 * database or Redis): a reconnect retries these, and takes any other refused handshake as final.
 */
export const RETRYABLE_CODES: readonly ErrorCode[] = ['internal', 'rate_limited', 'unavailable'];

/** True for a code in RETRYABLE_CODES; `code` may come off the network as any string. */
export function isRetryable(code: string | undefined): boolean {
  return (RETRYABLE_CODES as readonly string[]).includes(code as string);
}

export interface ChatError {
  code: ErrorCode;
  /** One sentence a person understands. */
  message: string;
  /** Seconds until the same request may succeed (lockouts, rate limits). */
  retryAfter?: number;
  /** Names the error is about (unknown users of a list broadcast, ...). */
  names?: string[];
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ChatError };

export function fail(code: ErrorCode, message: string, extra: Partial<ChatError> = {}): { ok: false; error: ChatError } {
  return { ok: false, error: { code, message, ...extra } };
}
