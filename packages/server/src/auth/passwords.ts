/**
 * Password hashing with scrypt. A hash records its own parameters
 * (`scrypt$N$r$p$salt$hash`), so the cost can change without breaking stored accounts.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from '../config.js';

export { DEFAULT_SCRYPT_COST, type ScryptCost };

const KEY_LENGTH = 32;

/**
 * Hashes running at once. Each takes a core for a few hundred ms at the default cost, and libuv
 * would run four: a burst of logins then took both cores of a 2-core server and messages waited
 * (p99 8 -> 115 ms in the benchmark's login flood; 7 ms with one at a time). One core stays free.
 */
export const HASHING_SLOTS = Math.max(1, os.availableParallelism() - 1);

/**
 * Hashes waiting for a slot: up to HASH_QUEUE_MAX in all, and however full the queue is, each
 * address may always have HASH_QUEUE_PER_KEY waiting (its share): one address alone may use the
 * whole queue (an office behind one NAT logging in at nine), but cannot keep others out of it.
 */
export const HASH_QUEUE_MAX = 64;
export const HASH_QUEUE_PER_KEY = 4;

/** Thrown instead of queueing a hash the queue has no room for. */
export class HashingBusy extends Error {
  constructor(readonly retryAfter: number) {
    super(`The server is busy checking other logins; try again in ${retryAfter} s.`);
  }
}

/**
 * The hashing slots, shared fairly: waiting hashes queue per key (the client's address) and the
 * keys take turns, so one address flooding logins delays another address's login by about one
 * hash per address waiting, not by its whole flood. The queue is bounded (see HASH_QUEUE_MAX).
 */
export class FairSlots {
  constructor(
    private readonly size: number = HASHING_SLOTS,
    private readonly queueMax: number = HASH_QUEUE_MAX,
    private readonly perKey: number = HASH_QUEUE_PER_KEY,
  ) {}

  private running = 0;
  private readonly queues = new Map<string, (() => void)[]>();
  /** Keys with waiters, in turn order. */
  private readonly turn: string[] = [];
  private waitingCount = 0;
  /** Hashes started since the process began (for tests: how many were really checked). */
  private started = 0;
  /** A running mean of one hash's time, for the "try again in N s" of a refusal. */
  private meanMs = 300;

  /** `bounded`: a login from the network, refused as busy when the queue is full (the command line's own work always waits). */
  async run<T>(key: string, work: () => Promise<T>, bounded: boolean): Promise<T> {
    if (this.running >= this.size) {
      const queue = this.queues.get(key) ?? [];
      if (bounded && this.waitingCount >= this.queueMax && queue.length >= this.perKey) {
        throw new HashingBusy(Math.max(1, Math.ceil((this.waitingCount * this.meanMs) / this.size / 1000)));
      }
      await new Promise<void>((resolve) => {
        if (queue.length === 0) {
          this.queues.set(key, queue);
          this.turn.push(key);
        }
        queue.push(resolve);
        this.waitingCount++;
      });
    } else {
      this.running += 1;
    }
    this.started += 1;
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.meanMs = this.meanMs * 0.8 + (Date.now() - started) * 0.2;
      this.next();
    }
  }

  /** The slot passes to the next key in turn (its oldest waiter), or is freed. */
  private next(): void {
    const key = this.turn.shift();
    if (key === undefined) {
      this.running -= 1;
      return;
    }
    const queue = this.queues.get(key)!;
    const resolve = queue.shift()!;
    this.waitingCount--;
    if (queue.length > 0) this.turn.push(key);
    else this.queues.delete(key);
    resolve();
  }

  load(): { running: number; waiting: number; started: number } {
    return { running: this.running, waiting: this.waitingCount, started: this.started };
  }
}

const slots = new FairSlots();

/** Hashes running now and waiting for a slot (for tests and logs). */
export function hashingLoad(): { running: number; waiting: number; started: number } {
  return slots.load();
}

/** Whose hash it is, for taking turns: a login's address; the command line's own work shares one key. */
const LOCAL = 'local';

function scrypt(password: string, salt: Buffer, cost: ScryptCost, key?: string): Promise<Buffer> {
  // scrypt needs 128*N*r bytes; the default maxmem (32 MiB) is too small for N=2^17.
  const maxmem = 128 * cost.N * cost.r * 2;
  return slots.run(
    key ?? LOCAL,
    () =>
      new Promise((resolve, reject) => {
        crypto.scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
      }),
    key !== undefined,
  );
}

/** `queueKey`: whose turn it is in the hashing queue (the client's address for a login). */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST, queueKey?: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, cost, queueKey);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return null;
  return { cost: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string, queueKey?: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost, queueKey);
  return key.length === parsed.key.length && crypto.timingSafeEqual(key, parsed.key);
}

/** Spend the same work as a real check, so a wrong name cannot be told from a wrong password by timing. */
export async function burnPasswordCheck(password: string, cost: ScryptCost, queueKey?: string): Promise<void> {
  await scrypt(password, Buffer.alloc(16), cost, queueKey);
}
