/**
 * Payload schemas for every client-to-server event. The server parses each payload with these
 * before anything else; a payload that does not fit is answered with `bad_request`.
 * Shapes only: name rules and ranges are checked after, so their errors can say exactly what is wrong.
 */
import { z } from 'zod';
import { BROADCAST_LIST_MAX, CLIENT_ID_PATTERN, CONVERSATION_ID_PATTERN, SYNC_CONVERSATIONS_MAX } from './limits.js';
import { GROUP_MEMBERS_MAX } from './groups.js';

// Generous bounds on raw strings, so a huge field is refused before any work is done on it.
const rawName = z.string().max(256);
const rawText = z.string().max(64 * 1024);
const clientId = z.string().regex(CLIENT_ID_PATTERN, 'clientId must be 8-64 of A-Z a-z 0-9 _ -');
const empty = z.object({}).optional();
const conversationKey = z.string().max(80).regex(CONVERSATION_ID_PATTERN, 'keys must be conversation ids such as "alice:bob"');

export const schemas = {
  'message:send': z.object({ to: rawName, text: rawText, clientId }),
  'broadcast:send': z.object({ text: rawText, clientId }),
  'broadcast:list': z.object({
    to: z.array(rawName).min(1).max(BROADCAST_LIST_MAX),
    text: rawText,
    clientId,
  }),
  'presence:whoelse': empty,
  'presence:wholast': z.object({ minutes: z.union([z.number(), z.string().max(64)]) }),
  'users:list': z
    .object({
      /** Names that start with this (empty: everyone). */
      prefix: z.string().max(64).optional(),
      /** The last name of the previous page: this page starts after it. */
      after: z.string().max(64).optional(),
      limit: z.number().int().positive().optional(),
    })
    .optional(),
  'inbox:fetch': empty,
  'history:fetch': z.object({
    with: rawName,
    before: z.number().int().positive().optional(),
    limit: z.number().int().positive().optional(),
  }),
  'broadcasts:fetch': z
    .object({ before: z.number().int().positive().optional(), limit: z.number().int().positive().optional() })
    .optional(),
  'conversations:list': empty,
  'sync:since': z.object({
    /** conversation id -> the highest seq the client holds with nothing missing below it. */
    seen: z
      .record(conversationKey, z.number().int().nonnegative())
      .refine((o) => Object.keys(o).length <= SYNC_CONVERSATIONS_MAX, `at most ${SYNC_CONVERSATIONS_MAX} conversations per request`),
    /** Messages this answer may carry at most (the server caps it at SYNC_PAGE_MAX). */
    limit: z.number().int().positive().optional(),
  }),
  'read:mark': z.object({ with: rawName, seq: z.number().int().nonnegative() }),
  'block:add': z.object({ user: rawName }),
  'block:remove': z.object({ user: rawName }),
  'block:list': empty,
  'session:logout': empty,
  'session:active': empty,
  /** A group named `name` (with or without `#`) with you and `members` in it. */
  'group:create': z.object({ name: rawName, members: z.array(rawName).max(GROUP_MEMBERS_MAX) }),
  'group:invite': z.object({ group: rawName, user: rawName }),
  'group:leave': z.object({ group: rawName }),
  'group:members': z.object({ group: rawName }),
  /**
   * The person is writing in a conversation (`active`), or stopped (the line was sent or cleared).
   * `conversation` is the id messages carry ("alice:bob" for a pair), so any kind of conversation
   * fits; the handler checks the sender belongs to it.
   */
  'typing:send': z.object({ conversation: z.string().max(80), active: z.boolean() }),
  /** Away (`away: true`) with a text (none, or empty: away without one), or back (`away: false`). */
  'presence:away': z.object({ away: z.boolean(), text: z.string().max(1024).optional() }),
  /**
   * Messages this user can read with every word of `query` (see `searchTerms`), newest first;
   * `with` keeps to one conversation (a user, or a group `#name`); `before`: a message id, the
   * page holds matches older than it.
   */
  'search:run': z.object({
    query: z.string().max(1024),
    with: rawName.optional(),
    before: z.number().int().positive().optional(),
    limit: z.number().int().positive().optional(),
  }),
} as const;

export type RequestEvent = keyof typeof schemas;
export type RequestPayload<E extends RequestEvent> = z.input<(typeof schemas)[E]>;
export type ParsedPayload<E extends RequestEvent> = z.output<(typeof schemas)[E]>;

/** What a client sends in the socket.io handshake (`auth`). */
export const authSchema = z.union([
  z.object({
    user: rawName,
    password: z.string().max(1024),
    register: z.boolean().optional(),
  }),
  z.object({ user: rawName, token: z.string().max(256) }),
]);
export type HandshakeAuth = z.input<typeof authSchema>;

/** Describe a zod failure in one sentence. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request has the wrong shape.';
  const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
  return `The request has the wrong shape${where}: ${issue.message}.`;
}
