/**
 * Waiting helpers with no Ink import: run-tui.test.tsx must let runTui load Ink first (Ink reads
 * CI=... when it is first imported, and draws nothing until exit in CI).
 */

/** Polls until `check` returns true; fails with the last frame after `timeout` ms. */
export async function waitFor(check: () => boolean, describe: () => string = () => '', timeout = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (check()) return;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting; last frame:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const tick = () => new Promise((r) => setImmediate(r));
