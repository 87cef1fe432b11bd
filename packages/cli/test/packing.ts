/** Real packs of the published packages (`npm pack`), as a registry hands them to whoever installs them. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const exec = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The folders under packages/ that are published (bench and testkit are private). */
export const PUBLISHED = ['protocol', 'client', 'server', 'cli'] as const;
export type Published = (typeof PUBLISHED)[number];

export interface Manifest {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports?: Record<string, { types?: string; default?: string } | string>;
  publishConfig?: { access?: string };
}

export const packageDir = (name: Published): string => path.join(ROOT, 'packages', name);

/** `npm pack` of one package into `dest`; resolves with the tarball's path. */
export async function packTo(name: Published, dest: string): Promise<string> {
  const { stdout } = await exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
    cwd: packageDir(name),
    encoding: 'utf8',
  });
  return path.join(dest, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
}

/** The package.json inside a tarball, as an installer reads it. */
export async function manifestOf(tarball: string): Promise<Manifest> {
  const { stdout } = await exec('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  return JSON.parse(stdout) as Manifest;
}

/** Unpacks a tarball as npm installs it: its files in `dir` (created). */
export async function unpack(tarball: string, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await exec('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
}
