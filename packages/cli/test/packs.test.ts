/**
 * What each published package holds, as `npm pack` would make it: its README and LICENSE, no
 * build bookkeeping, source maps whose sources are in the pack, types for every export, and public
 * access for the scoped ones (npm publishes a scoped package as restricted otherwise). And what
 * its package.json asks of whoever installs it: `tui-chat` without the server (an optional peer),
 * and floors above the advisories of the socket.io pieces, which the workspace's `overrides`
 * cannot give anyone else.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import semver from 'semver';
import { manifestOf, packageDir, packTo, PUBLISHED, ROOT, type Manifest, type Published } from './packing.js';
import { cleanup, tempDir } from './helpers.js';

interface Packed {
  name: string;
  files: { path: string }[];
}

function pack(dir: string): Promise<Packed> {
  return new Promise((resolve, reject) => {
    execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(error);
      else resolve((JSON.parse(stdout) as Packed[])[0]!);
    });
  });
}

describe.each(PUBLISHED)('the %s package as packed', (name) => {
  const dir = packageDir(name);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string;
    license?: string;
    exports?: Record<string, { types?: string; default?: string }>;
    publishConfig?: { access?: string };
  };

  test('holds its README and LICENSE, no build info, and source maps whose sources it ships', async () => {
    const packed = await pack(dir);
    const paths = new Set(packed.files.map((f) => f.path));
    expect(paths.has('README.md')).toBe(true);
    expect(paths.has('LICENSE')).toBe(true);
    expect([...paths].filter((p) => p.includes('tsbuildinfo'))).toEqual([]);
    const maps = [...paths].filter((p) => p.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(fs.readFileSync(path.join(dir, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
        if (!paths.has(shipped)) missing.push(`${map} -> ${shipped}`);
      }
    }
    expect(missing).toEqual([]);
    expect(manifest.license).toBe('MIT');
  });

  test('every export has its types, and a scoped package publishes as public', () => {
    expect(Object.keys(manifest.exports ?? {})).toContain('.');
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      expect({ subpath, types: typeof target.types }).toEqual({ subpath, types: 'string' });
    }
    if (manifest.name.startsWith('@')) expect(manifest.publishConfig?.access).toBe('public');
  });
});

/**
 * The lowest versions without the advisories the workspace's `overrides` keep out. Each is a
 * direct dependency of the packages that pull it in, in a range that meets the range of the
 * library that uses it, so npm installs one copy, at or above the floor.
 */
const FLOORS: Record<string, string> = { 'engine.io': '6.6.12', 'socket.io-parser': '4.2.7', ws: '8.21.1' };
/** Per published package: each floored dependency and the library (as installed here) that uses it. */
const CARRIERS: Partial<Record<Published, Record<string, string>>> = {
  server: { 'engine.io': 'socket.io', 'socket.io-parser': 'socket.io', ws: 'engine.io' },
  client: { 'socket.io-parser': 'socket.io-client', ws: 'engine.io-client' },
};

const installedManifest = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as Manifest;

describe('what the packed package.json files ask of an install', () => {
  const packed = new Map<Published, Manifest>();
  beforeAll(async () => {
    const dest = tempDir();
    await Promise.all(PUBLISHED.map(async (name) => packed.set(name, await manifestOf(await packTo(name, dest)))));
  }, 60_000);
  afterAll(cleanup);

  test('tui-chat needs only the client and the protocol; the server is an optional peer', () => {
    const cli = packed.get('cli')!;
    expect(Object.keys(cli.dependencies ?? {}).filter((d) => d.startsWith('@tui-chat/'))).toEqual([
      '@tui-chat/client',
      '@tui-chat/protocol',
    ]);
    expect(cli.peerDependencies?.['@tui-chat/server']).toBe(cli.version);
    expect(cli.peerDependenciesMeta?.['@tui-chat/server']?.optional).toBe(true);
  });

  test.each(Object.entries(CARRIERS))('%s holds engine.io, socket.io-parser and ws at their floors', (name, carriers) => {
    const deps = packed.get(name as Published)!.dependencies ?? {};
    for (const [dep, carrier] of Object.entries(carriers)) {
      const range = deps[dep];
      expect({ dep, declared: typeof range }).toEqual({ dep, declared: 'string' });
      expect({ dep, atLeastFloor: semver.gte(semver.minVersion(range!)!, FLOORS[dep]!) }).toEqual({ dep, atLeastFloor: true });
      const carried = installedManifest(carrier).dependencies![dep]!;
      expect({ dep, carrier, carried, meets: semver.intersects(range!, carried) }).toEqual({ dep, carrier, carried, meets: true });
    }
  });
});
