/** Client message ids: what makes a resend idempotent (the server stores one copy per id). */
import crypto from 'node:crypto';
import { CLIENT_ID_PATTERN } from '@tui-chat/protocol';

/** 22 characters of base64url from 16 random bytes; always matches CLIENT_ID_PATTERN. */
export function newClientId(): string {
  const id = crypto.randomBytes(16).toString('base64url');
  if (!CLIENT_ID_PATTERN.test(id)) throw new Error(`generated client id ${id} breaks the protocol pattern`);
  return id;
}
