/** The reconnect schedule: at once, then a short, capped, jittered delay. */
import { describe, expect, test } from '@jest/globals';
import { RECONNECT_BACKOFF, retryDelay, stepOf } from '../../src/core/backoff.js';

const lowest = () => 0;
const highest = () => 0.999_999;

describe('retryDelay', () => {
  test('the first retry after a loss goes at once, whatever the dice say', () => {
    expect(retryDelay(0, RECONNECT_BACKOFF, lowest)).toBe(0);
    expect(retryDelay(0, RECONNECT_BACKOFF, highest)).toBe(0);
    expect(retryDelay(0)).toBe(0);
  });

  test('the ceiling doubles from the base and stops at the cap of 2 s', () => {
    const ceilings = [1, 2, 3, 4, 5, 10, 100, 10_000].map((n) => retryDelay(n, RECONNECT_BACKOFF, highest));
    expect(ceilings).toEqual([500, 1000, 2000, 2000, 2000, 2000, 2000, 2000]);
  });

  test('each delay lies between a tenth of its ceiling and the ceiling (full jitter with a floor)', () => {
    expect([1, 2, 3, 50].map((n) => retryDelay(n, RECONNECT_BACKOFF, lowest))).toEqual([50, 100, 200, 200]);
    for (let n = 1; n < 12; n++) {
      for (let i = 0; i < 200; i++) {
        const ceiling = Math.min(2000, 500 * 2 ** (n - 1));
        const d = retryDelay(n);
        expect(d).toBeGreaterThanOrEqual(ceiling / 10);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  test('the delays are spread, not bunched: 1000 clients at the cap fill the window evenly', () => {
    const buckets = new Array<number>(9).fill(0);
    for (let i = 0; i < 1000; i++) buckets[Math.min(8, Math.floor((retryDelay(8) - 200) / 200))]!++;
    // About 111 in each 200 ms of the 1.8 s window.
    for (const n of buckets) expect(n).toBeGreaterThan(50);
  });

  test('a base and cap of its own (the tests use short ones)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, { baseMs: 50, capMs: 300 }, highest))).toEqual([50, 100, 200, 300]);
  });
});

test('several servers: the first move is at once, the delay grows after each full round', () => {
  expect([0, 1, 2, 3, 4, 5].map((k) => stepOf(k, 1))).toEqual([0, 1, 2, 3, 4, 5]);
  expect([0, 1, 2, 3, 4, 5].map((k) => stepOf(k, 2))).toEqual([0, 1, 1, 2, 2, 3]);
  expect([0, 1, 2, 3, 4].map((k) => stepOf(k, 3))).toEqual([0, 1, 1, 1, 2]);
});
