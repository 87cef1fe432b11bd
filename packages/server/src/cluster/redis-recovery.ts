/**
 * What a node does about its Redis going out of reach and coming back.
 *
 * - Every publish on the shared client gets a handler that logs (patches/ioredis-publish.ts).
 * - Block changes made meanwhile could not be announced: they are announced once Redis is back.
 * - Deliveries published meanwhile (this node's to others', and room joins) may be lost: once
 *   this node's sessions are written back to Redis, every client of the cluster is told to catch
 *   up (`sync:needed`, reason `redis_back`), spread over two seconds by the clients.
 */
import type { Logger } from 'pino';
import type { ChatIo } from '../context.js';
import type { BlockCache } from '../block-cache.js';
import type { RedisBackend } from './redis.js';
import type { RedisPresence } from './redis-presence.js';
import { guardPublish } from '../patches/ioredis-publish.js';

export function watchRedis(redis: RedisBackend, io: ChatIo, presence: RedisPresence, blocks: BlockCache, log: Logger): void {
  const client = redis.client;
  guardPublish(client, log);

  const unannounced = new Set<string>();
  blocks.announceWith((user) => {
    if (client.status !== 'ready') {
      unannounced.add(user);
      return;
    }
    io.serverSideEmit('blocks:changed', user);
  });
  io.on('blocks:changed', (user) => blocks.forget(user));

  let down = false;
  client.on('close', () => {
    down = true;
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.warn('Redis is back; every client of the cluster is told to catch up');
    for (const user of unannounced) io.serverSideEmit('blocks:changed', user);
    unannounced.clear();
    // This node's sessions go back to Redis first, so the catch-up reads whole presence.
    void presence.beat().finally(() => io.emit('sync:needed', { reason: 'redis_back' }));
  });
}
