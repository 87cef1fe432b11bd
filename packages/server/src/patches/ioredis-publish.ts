/**
 * The Redis streams adapter publishes some messages (server-side emits) without waiting on the
 * result; while Redis is away those commands fail later with nobody listening, which would end the
 * process as an unhandled rejection. Every publish on the shared client gets a handler that logs.
 * Fenced (fence.ts): written for the ioredis in PATCHED_VERSIONS; on another it is left out and
 * that is recorded (the server logs it at start).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { versionMatches } from '@tui-chat/protocol/fence';
import { PATCHED_VERSIONS } from './versions.js';

export const IOREDIS_PUBLISH = 'ioredis-publish';

export function guardPublish(client: Redis, log: Logger): void {
  if (!versionMatches(IOREDIS_PUBLISH, 'ioredis', PATCHED_VERSIONS.ioredis, import.meta.url)) return;
  const publish = client.publish.bind(client) as (...args: unknown[]) => Promise<number>;
  (client as unknown as { publish: (...args: unknown[]) => Promise<number> }).publish = (...args) => {
    const sent = publish(...args);
    sent.catch((err: Error) => log.warn({ err: err.message }, 'a message to the other nodes was lost: Redis out of reach'));
    return sent;
  };
}
