/**
 * The server's patches of other libraries' internals are fenced: each is written for an exact
 * version, pinned (package.json, or the root overrides for engine.io) and installed; a server
 * started here has them all in. When a dependency moves, this fails before the server runs.
 */
import fs from 'node:fs';
import { expect, test } from '@jest/globals';
import { installedVersion, patchStatuses } from '@tui-chat/protocol/fence';
import { peerTakes } from '../src/patches/node-peername.js';
import { PATCHED_VERSIONS } from '../src/patches/versions.js';
import { WRITE_COALESCING } from '../src/patches/write-coalescing.js';
import { startHarness } from './helpers.js';

const read = (url: URL) =>
  JSON.parse(fs.readFileSync(url, 'utf8')) as { dependencies?: Record<string, string>; overrides?: Record<string, string> };
const pkg = read(new URL('../package.json', import.meta.url));
const root = read(new URL('../../../package.json', import.meta.url));

test.each(Object.entries(PATCHED_VERSIONS))('%s: pinned exactly to %s, and that is what is installed', (name, version) => {
  expect(pkg.dependencies?.[name] ?? root.overrides?.[name]).toBe(version);
  const from = name === 'engine.io' ? import.meta.resolve('socket.io') : import.meta.url;
  expect(installedVersion(name, from)).toBe(version);
});

test('a server has its patches in, and Node honours the PROXY protocol peer', async () => {
  const h = await startHarness();
  try {
    expect(patchStatuses().find((p) => p.name === WRITE_COALESCING)).toMatchObject({
      active: true,
      installed: PATCHED_VERSIONS['engine.io'],
    });
    expect(peerTakes()).toBe(true);
  } finally {
    await h.close();
  }
});
