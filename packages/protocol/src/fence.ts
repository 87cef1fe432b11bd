/**
 * The fence around the client's and the server's patches of other libraries' internals (their
 * `patches/` folders): the one helper both sides share beside the contract, at its own subpath
 * (`@tui-chat/protocol/fence`, Node only). Each patch says which package and exact version it was
 * written for; it is installed only on that version, and a version that differs is recorded (the
 * client says it on stderr when it ends, the server logs it at start) instead of falling back
 * silently. Each package's test/patches.test.ts fails when an installed version differs from its
 * pin, so the fence is checked before anyone runs either.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface PatchStatus {
  name: string;
  /** The package it patches, and the exact version it was written for. */
  target: string;
  writtenFor: string;
  /** What is installed (null when it cannot be found). */
  installed: string | null;
  active: boolean;
  /** Why it is not active. */
  reason?: string;
}

const statuses = new Map<string, PatchStatus>();

/**
 * Set by the client's bundle (packages/client/scripts/bundle.mjs, esbuild's `define`): the
 * versions of the libraries built into it. In a bundle those are what runs, whatever
 * node_modules holds.
 */
declare const __TUI_CHAT_BUNDLED_VERSIONS__: Record<string, string> | undefined;

/** Whether this code runs from the client's bundle. */
export function isBundled(): boolean {
  return typeof __TUI_CHAT_BUNDLED_VERSIONS__ !== 'undefined';
}

/** The version of `pkg` as resolved from `fromUrl` (its package.json, found next to its entry point), or as bundled. */
export function installedVersion(pkg: string, fromUrl: string): string | null {
  if (typeof __TUI_CHAT_BUNDLED_VERSIONS__ !== 'undefined' && pkg in __TUI_CHAT_BUNDLED_VERSIONS__)
    return __TUI_CHAT_BUNDLED_VERSIONS__[pkg] ?? null;
  try {
    let dir = path.dirname(createRequire(fromUrl).resolve(pkg));
    for (;;) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file)) {
        const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (json.name === pkg) return json.version ?? null;
      }
      const up = path.dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
  } catch {
    return null;
  }
}

/** Whether a patch may go in: the exact version it was written for is the one installed. Records the outcome. */
export function versionMatches(name: string, target: string, writtenFor: string, fromUrl: string): boolean {
  const installed = installedVersion(target, fromUrl);
  const active = installed === writtenFor;
  statuses.set(name, {
    name,
    target,
    writtenFor,
    installed,
    active,
    ...(active ? {} : { reason: `${target} ${installed ?? '(not found)'} is not the ${writtenFor} it was written for` }),
  });
  return active;
}

/** Records that a patch whose version matched could still not go in (the shape it expects was not there). */
export function notInstalled(name: string, reason: string): void {
  const s = statuses.get(name);
  if (s) statuses.set(name, { ...s, active: false, reason });
}

/** Every patch tried so far, and whether it is in. */
export function patchStatuses(): PatchStatus[] {
  return [...statuses.values()];
}
