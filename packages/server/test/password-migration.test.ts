/**
 * From scrypt to Argon2id on a database made by the scrypt-era server (fixtures/scrypt-era, made
 * with `tui-chat user add` before the change), on SQLite and on PostgreSQL: the old hashes still
 * log in, the login that proves one right replaces it with Argon2id, a wrong password changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, tempDir, type TestDatabase } from '@tui-chat/testkit';
import { DEFAULT_PASSWORD_COST, needsRehash, parseHash, PostgresStore, type Store } from '../src/index.js';
import { startHarness, TEST_COST, type Harness } from './helpers.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'scrypt-era');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

let pgDb: TestDatabase;
beforeAll(async () => {
  pgDb = await createTestDatabase();
});
afterAll(async () => {
  await pgDb.drop();
});

/** The SQLite fixture, copied (never opened in place). */
function sqliteCopy(): { db: string } {
  const db = path.join(tempDir('migration'), 'chat.db');
  fs.copyFileSync(path.join(fixtures, 'chat.db'), db);
  return { db };
}

/** The PostgreSQL fixture restored into an empty database, then opened (the store migrates it forward). */
async function postgresCopy(): Promise<{ store: Store }> {
  await pgDb.drop();
  pgDb = await createTestDatabase();
  const c = new pg.Client({ connectionString: pgDb.url });
  await c.connect();
  try {
    await c.query(fs.readFileSync(path.join(fixtures, 'chat.pg.sql'), 'utf8'));
  } finally {
    await c.end();
  }
  return { store: await PostgresStore.open(pgDb.url) };
}

const hashOf = async (user: string): Promise<string> => (await h!.server.store.getUser(user))!.passwordHash;

describe.each([
  ['SQLite', sqliteCopy],
  ['PostgreSQL', postgresCopy],
] as const)('a database from the scrypt era, on %s', (_name, open) => {
  test('an old hash logs in and is rehashed to Argon2id at once; a wrong password leaves it as it was', async () => {
    h = await startHarness({ ...(await open()), passwordCost: TEST_COST });
    expect(await hashOf('alice')).toMatch(/^scrypt\$1024\$8\$1\$/);
    const bobBefore = await hashOf('bob');

    expect(await h.refused({ user: 'bob', password: 'not-bobs-password' })).toMatchObject({ code: 'bad_credentials' });
    expect(await hashOf('bob')).toBe(bobBefore);

    await h.login('alice', 'alice-old-password');
    const rehashed = await hashOf('alice');
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(needsRehash(rehashed, TEST_COST)).toBe(false);
    // The new hash is the one checked from now on: the same password, and only it.
    await h.login('alice', 'alice-old-password');
    expect(await hashOf('alice')).toBe(rehashed);
    expect(await h.refused({ user: 'alice', password: 'alice-old-passwore' })).toMatchObject({ code: 'bad_credentials' });
    // Bob's, untouched by the wrong guess, still works, and is rehashed in turn.
    await h.login('bob', 'bob-old-password');
    expect(await hashOf('bob')).toMatch(/^\$argon2id\$/);
  });

  test('the hash that shipped (scrypt N=2^17) becomes Argon2id at the real cost, m=19 MiB, t=2, p=1', async () => {
    h = await startHarness({ ...(await open()), passwordCost: DEFAULT_PASSWORD_COST });
    expect(parseHash(await hashOf('carol'))).toMatchObject({ kind: 'scrypt', cost: { N: 131072, r: 8, p: 1 } });
    await h.login('carol', 'carol-old-password');
    expect(await hashOf('carol')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    await h.login('carol', 'carol-old-password');
  });
});

test("an Argon2id hash at other parameters than the server's is replaced at the next login; one at them is kept", async () => {
  h = await startHarness({ ...sqliteCopy(), passwordCost: TEST_COST });
  await h.login('alice', 'alice-old-password');
  const low = await hashOf('alice');
  await h.restart({ passwordCost: { memoryKiB: 128, passes: 1, parallelism: 1 } });
  await h.login('alice', 'alice-old-password');
  const raised = await hashOf('alice');
  expect(raised).toMatch(/^\$argon2id\$v=19\$m=128,t=1,p=1\$/);
  expect(raised).not.toBe(low);
  await h.login('alice', 'alice-old-password');
  expect(await hashOf('alice')).toBe(raised);
});

test('needsRehash: scrypt and anything unknown always, Argon2id when its parameters differ', () => {
  const argon = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
  expect(needsRehash(argon)).toBe(false);
  expect(needsRehash(argon, TEST_COST)).toBe(true);
  expect(needsRehash('scrypt$131072$8$1$c2FsdA==$a2V5')).toBe(true);
  expect(parseHash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5')).toBeNull();
  expect(parseHash('plain-text')).toBeNull();
});
