/**
 * Password hashing with Argon2id (`@node-rs/argon2`: prebuilt binaries), on threads of our own
 * at the lowest CPU priority (hash-pool.ts). A hash is a PHC string that records its own parameters
 * (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so the cost can change without breaking stored
 * accounts. Hashes from the scrypt era (`scrypt$N$r$p$salt$hash`) still verify, and the login
 * that proves one right replaces it (see `needsRehash`).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Algorithm } from '@node-rs/argon2';
import { DEFAULT_PASSWORD_COST, type PasswordCost } from '../config.js';
import { HashPool } from './hash-pool.js';

export { DEFAULT_PASSWORD_COST, type PasswordCost };

/** The scrypt era's parameters, read from old stored hashes only. */
interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;

/**
 * Hashes running at once: one per core but one, so a burst of logins never takes every core from
 * the messages (libuv would run four; with scrypt on 2 cores that made the benchmark's login-flood
 * p99 8 -> 115 ms). Each Argon2id hash has one lane (p=1), so it uses one core.
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
  private meanMs = 20;

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
/** One thread per slot: the slots decide whose hash runs, the threads run it. */
export const hashThreads = new HashPool(HASHING_SLOTS);

/** Hashes running now and waiting for a slot (for tests and logs). */
export function hashingLoad(): { running: number; waiting: number; started: number } {
  return slots.load();
}

/** Whose hash it is, for taking turns: a login's address; the command line's own work shares one key. */
const LOCAL = 'local';

const argon2Options = (cost: PasswordCost) => ({
  algorithm: 2 as Algorithm, // Algorithm.Argon2id: a const enum, which isolatedModules cannot read
  memoryCost: cost.memoryKiB,
  timeCost: cost.passes,
  parallelism: cost.parallelism,
  outputLen: KEY_LENGTH,
});

/** The NFC form: the same password typed on two systems hashes the same. */
const normal = (password: string): string => password.normalize('NFC');

function inSlot<T>(queueKey: string | undefined, work: () => Promise<T>): Promise<T> {
  return slots.run(queueKey ?? LOCAL, work, queueKey !== undefined);
}

/** `queueKey`: whose turn it is in the hashing queue (the client's address for a login). */
export function hashPassword(password: string, cost: PasswordCost = DEFAULT_PASSWORD_COST, queueKey?: string): Promise<string> {
  return inSlot(queueKey, () => hashThreads.hash(normal(password), argon2Options(cost)));
}

export type StoredHash = { kind: 'argon2id'; cost: PasswordCost } | { kind: 'scrypt'; cost: ScryptCost; salt: Buffer; key: Buffer };

const ARGON2ID = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** What a stored hash is and its parameters, or null for something this server never wrote. */
export function parseHash(stored: string): StoredHash | null {
  const argon = ARGON2ID.exec(stored);
  if (argon) return { kind: 'argon2id', cost: { memoryKiB: Number(argon[1]), passes: Number(argon[2]), parallelism: Number(argon[3]) } };
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return null;
  return { kind: 'scrypt', cost: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

/** Whether a hash that just verified should be replaced: scrypt, or Argon2id at other parameters than `cost`. */
export function needsRehash(stored: string, cost: PasswordCost = DEFAULT_PASSWORD_COST): boolean {
  const parsed = parseHash(stored);
  if (parsed?.kind !== 'argon2id') return true;
  const c = parsed.cost;
  return c.memoryKiB !== cost.memoryKiB || c.passes !== cost.passes || c.parallelism !== cost.parallelism;
}

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128*N*r bytes; the default maxmem (32 MiB) is too small for N=2^17.
  const maxmem = 128 * cost.N * cost.r * 2;
  return new Promise((resolve, reject) => {
    crypto.scrypt(normal(password), salt, KEY_LENGTH, { ...cost, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function verifyPassword(password: string, stored: string, queueKey?: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  if (parsed.kind === 'argon2id') return inSlot(queueKey, () => hashThreads.verify(stored, normal(password)));
  const key = await inSlot(queueKey, () => scrypt(password, parsed.salt, parsed.cost));
  return key.length === parsed.key.length && crypto.timingSafeEqual(key, parsed.key);
}

/**
 * Spend the same work as checking a real account's password at `cost` (an unknown name): a hash
 * at the current Argon2id parameters, so a wrong name cannot be told from a wrong password by timing.
 */
export async function burnPasswordCheck(password: string, cost: PasswordCost = DEFAULT_PASSWORD_COST, queueKey?: string): Promise<void> {
  await hashPassword(password, cost, queueKey);
}
