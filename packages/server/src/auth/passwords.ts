/**
 * Password hashing with scrypt. A hash records its own parameters
 * (`scrypt$N$r$p$salt$hash`), so the cost can change without breaking stored accounts.
 */
import crypto from 'node:crypto';
import os from 'node:os';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** The cost the design asks for: N=2^17, r=8, p=1 (128 MiB and a few hundred ms per hash). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

/**
 * Hashes running at once. Each takes a core for a few hundred ms at the default cost, and libuv
 * would run four: a burst of logins then took both cores of a 2-core server and messages waited
 * (p99 8 -> 115 ms in the benchmark's login flood; 7 ms with one at a time). One core stays free.
 */
export const HASHING_SLOTS = Math.max(1, os.availableParallelism() - 1);
let hashing = 0;
const waiting: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing >= HASHING_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else hashing += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight on
    else hashing -= 1;
  }
}

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128*N*r bytes; the default maxmem (32 MiB) is too small for N=2^17.
  const maxmem = 128 * cost.N * cost.r * 2;
  return slot(
    () =>
      new Promise((resolve, reject) => {
        crypto.scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem }, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

/** Hashes running now and waiting for a slot (for tests and logs). */
export function hashingLoad(): { running: number; waiting: number } {
  return { running: hashing, waiting: waiting.length };
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return null;
  return { cost: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && crypto.timingSafeEqual(key, parsed.key);
}

/** Spend the same work as a real check, so a wrong name cannot be told from a wrong password by timing. */
export async function burnPasswordCheck(password: string, cost: ScryptCost): Promise<void> {
  await scrypt(password, Buffer.alloc(16), cost);
}
