/**
 * The client's patches of other libraries' internals are fenced: each is written for an exact
 * version, that version is pinned in package.json and installed, and each patch goes in (or says
 * why not). When a dependency moves, this fails before anyone runs the client.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';
import { installedVersion, patchStatuses, versionMatches } from '@tui-chat/protocol/fence';
import module from 'node:module';
import { CELL_WIDTH } from '../src/patches/ink-cell-width.js';
import { installInkOutputCache, OUTPUT_CACHE, ROW_CACHE } from '../src/patches/ink-output-cache.js';
import { INK_FAST_IMPORT, installInkFastImport } from '../src/patches/ink-fast-import.js';
import { PATCHED_VERSIONS } from '../src/patches/versions.js';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

test.each(Object.entries(PATCHED_VERSIONS))('%s: pinned exactly to %s in package.json, and that is what is installed', (name, version) => {
  expect(pkg.dependencies[name]).toBe(version);
  expect(installedVersion(name, import.meta.url)).toBe(version);
});

test('the Ink patches go in on the pinned Ink; on any other version they stay out and say why', async () => {
  expect(await installInkOutputCache()).toBe(true);
  const active = patchStatuses()
    .filter((p) => p.active)
    .map((p) => p.name);
  expect(active).toEqual(expect.arrayContaining([OUTPUT_CACHE, ROW_CACHE, CELL_WIDTH]));
  // As a moved Ink would be seen: not active, with the reason that gets said.
  expect(versionMatches('probe', 'ink', '0.0.1', import.meta.url)).toBe(false);
  expect(patchStatuses().find((p) => p.name === 'probe')).toMatchObject({
    active: false,
    installed: PATCHED_VERSIONS.ink,
    reason: `ink ${PATCHED_VERSIONS.ink} is not the 0.0.1 it was written for`,
  });
  expect(installedVersion('no-such-package-here', import.meta.url)).toBeNull();
});

test('the fast Ink import goes in where Node has module.registerHooks, and says why where it has not', () => {
  // In plain Node, as the unbundled client runs (Jest refuses module hooks in its sandbox: below).
  const built = fileURLToPath(new URL('../dist/patches/ink-fast-import.js', import.meta.url));
  if (!fs.existsSync(built)) throw new Error('packages/client is not built: run `npm run build` first.');
  const script = `
    const { installInkFastImport, INK_FAST_IMPORT } = await import(${JSON.stringify(built)});
    const { patchStatuses } = await import('@tui-chat/protocol/fence');
    const remove = installInkFastImport();
    const ink = await import('ink');
    remove();
    console.log(JSON.stringify({ status: patchStatuses().find((p) => p.name === INK_FAST_IMPORT), render: typeof ink.render }));
  `;
  const out = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(built),
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    }),
  ) as { status: unknown; render: string };
  expect(out.render).toBe('function');
  if ('registerHooks' in module) expect(out.status).toMatchObject({ active: true });
  else expect(out.status).toMatchObject({ active: false, reason: expect.stringMatching(/has no module\.registerHooks/) });
});

test('where the hook is refused (Jest, here, on a Node that has registerHooks), Ink loads as shipped and the reason is said', () => {
  installInkFastImport()(); // installed and removed at once: only its status is looked at here
  const status = patchStatuses().find((p) => p.name === INK_FAST_IMPORT);
  if (!('registerHooks' in module))
    expect(status).toMatchObject({ active: false, reason: expect.stringMatching(/has no module\.registerHooks/) });
  else expect(status).toMatchObject({ active: false, reason: expect.stringMatching(/module\.registerHooks refused the hook/) });
});
