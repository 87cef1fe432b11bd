/**
 * The transport's security floors hold in what the workspace installs: every copy of engine.io,
 * socket.io-parser and ws in the lock file is at or above its floor, and an override left in the
 * root package.json is a floor or an exact pin above it. (The packages' own direct dependencies,
 * which is what holds for people installing them, are checked on the packs: packs.test.ts and
 * registry.test.ts. `npm audit` cannot reach its endpoint from these machines.)
 */
import fs from 'node:fs';
import { expect, test } from '@jest/globals';

const FLOORS: Record<string, [number, number, number]> = {
  'engine.io': [6, 6, 10],
  'socket.io-parser': [4, 2, 7],
  ws: [8, 21, 1],
};

const atLeast = (v: string, floor: [number, number, number]): boolean => {
  const parts = v.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    if (parts[i]! !== floor[i]) return parts[i]! > floor[i]!;
  }
  return true;
};

test('every installed copy of the transport packages is at or above its security floor', () => {
  const lock = JSON.parse(fs.readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const root = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    overrides: Record<string, string>;
  };
  const seen: string[] = [];
  for (const [where, info] of Object.entries(lock.packages)) {
    const name = Object.keys(FLOORS).find((n) => where === `node_modules/${n}` || where.endsWith(`/node_modules/${n}`));
    if (!name || !info.version) continue;
    seen.push(`${name}@${info.version}`);
    expect({ name, version: info.version, ok: atLeast(info.version, FLOORS[name]!) }).toEqual({ name, version: info.version, ok: true });
  }
  for (const name of Object.keys(FLOORS)) {
    expect(seen.some((s) => s.startsWith(`${name}@`))).toBe(true);
    // A floor (>=x.y.z), or an exact pin at or above it (engine.io: a patch is fenced to its version).
    const override = root.overrides[name];
    if (override === undefined) continue;
    expect(override === `>=${FLOORS[name]!.join('.')}` || (/^\d+\.\d+\.\d+$/.test(override) && atLeast(override, FLOORS[name]!))).toBe(
      true,
    );
  }
});
