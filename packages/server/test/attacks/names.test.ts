/** Names that pass for others (red-team item 8): refused at registration with a sentence; existing accounts unaffected. */
import Database from 'better-sqlite3';
import { afterEach, expect, test } from '@jest/globals';
import { RESERVED_NAMES, nameSkeleton, newNameProblem } from '@tui-chat/protocol';
import { hashPassword, SqliteStore } from '../../src/index.js';
import { startHarness, TEST_COST, type Harness } from '../helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: { data?: { code: string; message: string } }) => err.data,
  );

test("the red team's names are refused, each with one sentence, before any password is hashed", async () => {
  h = await startHarness();
  await h.register('alice');
  await h.register('tview');
  const cases: [string, string, string][] = [
    ['admin', 'invalid_name', 'The name admin is reserved; choose another.'],
    ['...', 'invalid_name', 'A user name starts with a letter or a digit.'],
    ['-', 'invalid_name', 'A user name starts with a letter or a digit.'],
    ['_x', 'invalid_name', 'A user name starts with a letter or a digit.'],
    ['2024', 'invalid_name', 'A user name holds at least one letter.'],
    ['a1ice', 'name_taken', 'The name a1ice looks too much like alice, who is already here; choose another.'],
    ['ALlCE', 'name_taken', 'The name allce looks too much like alice, who is already here; choose another.'],
    ['tview.', 'name_taken', 'The name tview. looks too much like tview, who is already here; choose another.'],
    ['tvievv', 'name_taken', 'The name tvievv looks too much like tview, who is already here; choose another.'],
  ];
  for (const [name, code, message] of cases) {
    expect({ name, refused: await refusal(h.register(name)) }).toEqual({ name, refused: { code, message } });
  }
  // Different enough: welcome.
  for (const name of ['alicia', 'bob', 'r2d2', 'tview2']) expect(await refusal(h.register(name))).toBeNull();
});

test('every reserved name is refused; the skeleton folds what the rules say', () => {
  for (const name of RESERVED_NAMES) expect(newNameProblem(name)).toMatch(/is reserved/);
  expect(newNameProblem('admin', { reservedAllowed: true })).toBeNull();
  expect(nameSkeleton('Modern_Clock-')).toBe(nameSkeleton('rnodern.dock'));
  expect(nameSkeleton('w0w')).toBe(nameSkeleton('vvow'));
  expect(nameSkeleton('bob')).not.toBe(nameSkeleton('bobby'));
});

test('accounts made before these rules keep logging in; their skeletons are filled in when the store opens', async () => {
  h = await startHarness();
  // An account the old rules allowed, as a database from before migration 3 holds it: no skeleton.
  await h.server.store.createUser('-', await hashPassword('secret-pw', TEST_COST), 1);
  const db = new Database(h.dbFile);
  db.prepare('UPDATE users SET skeleton = NULL').run();
  db.close();
  const store = new SqliteStore(h.dbFile);
  expect(await store.usersLike(nameSkeleton('-'))).toEqual(['-']);
  await store.close();
  expect(await refusal(h.login('-'))).toBeNull();
});
