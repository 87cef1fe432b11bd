/**
 * One fresh fixture per test, closed after it, in place of the `let h; beforeEach(start);
 * afterEach(close)` block each suite used to repeat: `const h = perTest(() => startHarness())`.
 * What it returns stands for the current test's fixture (a Proxy that forwards to it), so tests
 * keep writing `h.register('alice')`; used outside a test, it says so instead of reading undefined.
 */
import { afterEach, beforeEach } from '@jest/globals';

export function perTest<T extends { close(): Promise<void> }>(start: () => Promise<T>): T {
  let current: T | null = null;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    const done = current;
    current = null;
    await done?.close();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (current === null) throw new Error(`perTest: the fixture is used outside a test (reading ${String(key)})`);
      const value: unknown = Reflect.get(current, key, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
