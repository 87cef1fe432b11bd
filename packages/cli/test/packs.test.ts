/**
 * What each published package holds, as `npm pack` would make it: its README and LICENSE, no
 * build bookkeeping, source maps whose sources are in the pack, types for every export, and public
 * access for the scoped ones (npm publishes a scoped package as restricted otherwise).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['protocol', 'server', 'client', 'cli'];

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

describe.each(PACKAGES)('the %s package as packed', (name) => {
  const dir = path.join(ROOT, 'packages', name);
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
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      expect({ subpath, types: typeof target.types }).toEqual({ subpath, types: 'string' });
    }
    if (manifest.name.startsWith('@')) expect(manifest.publishConfig?.access).toBe('public');
  });
});
