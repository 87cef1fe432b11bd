/**
 * Ink decides at import time whether it runs in CI (any CI=... in the environment) and then draws
 * nothing until exit. A full-screen client on a real terminal must draw, so Ink is loaded with
 * those variables hidden. Fenced like the other patches (fence.ts): written for the Ink in
 * PATCHED_VERSIONS; on another the hiding still happens (it is harmless) and the difference is
 * recorded and said.
 */
import { versionMatches } from '@tui-chat/protocol/fence';
import { installInkFastImport } from './ink-fast-import.js';
import { PATCHED_VERSIONS } from './versions.js';

export const LOAD_INK = 'ink-ci-detection';

export async function loadInk(): Promise<{ ink: typeof import('ink'); App: typeof import('../ui/App.js').App }> {
  versionMatches(LOAD_INK, 'ink', PATCHED_VERSIONS.ink, import.meta.url);
  const saved: Record<string, string | undefined> = {};
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
    saved[key] = process.env[key];
    if (key in process.env) process.env[key] = 'false';
  }
  const removeHook = installInkFastImport();
  try {
    const ink = await import('ink');
    const { App } = await import('../ui/App.js');
    return { ink, App };
  } finally {
    removeHook();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
