/** The client's Node flags: which are missing (a user's own setting wins); the relaunch itself is checked in e2e/hangup.test.ts. */
import { expect, test } from '@jest/globals';
import { CLIENT_NODE_FLAGS, missingClientFlags } from '../src/client-process.js';

test('all of them when nothing is given', () => {
  expect(missingClientFlags([], '')).toEqual([...CLIENT_NODE_FLAGS]);
  expect(missingClientFlags(['--expose-gc'], '--no-warnings')).toEqual([...CLIENT_NODE_FLAGS]);
});

test("none when the process has them, or the user's own value on the command line or in NODE_OPTIONS", () => {
  expect(missingClientFlags([...CLIENT_NODE_FLAGS], '')).toEqual([]);
  expect(missingClientFlags(['--max-semi-space-size=64'], '')).toEqual([]);
  expect(missingClientFlags([], '--no-warnings --max_semi_space_size=8')).toEqual([]);
});
