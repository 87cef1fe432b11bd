/** Ink's output caches shared between frames: in place, bounded, and the frames unchanged. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import React from 'react';
import { Box, Text, renderToString } from 'ink';
import { inkOriginalGet, installInkOutputCache, LIMITS } from '../../src/patches/ink-output-cache.js';
import { ROW_LIMITS } from '../../src/patches/ink-row-cache.js';

function screen(seed: number): React.ReactElement {
  return (
    <Box flexDirection="column" width={60} borderStyle="round" borderColor="cyan">
      {Array.from({ length: 12 }, (_, i) => (
        <Text key={i} wrap="truncate">
          <Text color="gray">{String(i).padStart(2, '0')}:00 </Text>
          <Text bold color={i % 2 ? 'red' : 'greenBright'}>
            {i % 3 ? 'bob' : 'alice'}
          </Text>{' '}
          <Text inverse={i === seed % 12}>{`line ${i + seed} 漢字 é 😀 ${'x'.repeat((i * 7 + seed) % 40)}`}</Text>
        </Text>
      ))}
    </Box>
  );
}

interface InkOutput {
  caches: unknown;
  get(): { output: string; height: number };
  write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
}

async function inkOutput(): Promise<new (o: { width: number; height: number }) => InkOutput> {
  const entry = createRequire(import.meta.url).resolve('ink');
  const mod = (await import(pathToFileURL(path.join(path.dirname(entry), 'output.js')).href)) as { default: never };
  return mod.default;
}

test('frames are the same with the shared caches as without them', async () => {
  const before = Array.from({ length: 30 }, (_, seed) => renderToString(screen(seed), { columns: 80 }));
  expect(await installInkOutputCache()).toBe(true);
  expect(await installInkOutputCache()).toBe(true); // once is enough; again is harmless
  for (let round = 0; round < 2; round++) {
    const after = Array.from({ length: 30 }, (_, seed) => renderToString(screen(seed), { columns: 80 }));
    expect(after).toEqual(before);
  }
});

test('every frame uses the same caches, and they stay within their limits', async () => {
  await installInkOutputCache();
  const Output = await inkOutput();
  const a = new Output({ width: 10, height: 2 });
  const b = new Output({ width: 10, height: 2 });
  a.get();
  b.get();
  expect(b.caches).toBe(a.caches);
  const caches = a.caches as { styledChars: Map<string, unknown> };
  const saved = LIMITS.lines;
  LIMITS.lines = 20;
  try {
    for (let seed = 0; seed < 40; seed++) {
      const out = renderToString(screen(seed * 13), { columns: 80 });
      expect(out).toContain(`line ${seed * 13} `);
      expect(caches.styledChars.size).toBeLessThanOrEqual(LIMITS.lines + 20);
    }
    // Ink's own renders filled them: the patched Output is the one Ink uses.
    expect(caches.styledChars.size).toBeGreaterThan(10);
  } finally {
    LIMITS.lines = saved;
  }
});

/** A small seeded generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'bob', ' ', 'hello world', '漢字', '😀', 'é', 'x'.repeat(30), '│', '─┐', '\t', '·'];
const STYLES = [
  '\u001b[31m',
  '\u001b[39m',
  '\u001b[1m',
  '\u001b[22m',
  '\u001b[7m',
  '\u001b[27m',
  '\u001b[38;2;10;200;30m',
  '\u001b[48;5;236m',
  '\u001b[49m',
  '\u001b[0m',
  '\u001b[4m',
  '\u001b[24m',
];

test('rows remembered between frames: every frame is the string Ink itself builds', async () => {
  expect(await installInkOutputCache()).toBe(true);
  const Output = await inkOutput();
  const original = inkOriginalGet!;
  expect(Output.prototype.get).not.toBe(original);
  const frame = (seed: number): InkOutput => {
    const r = prng(seed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const width = 5 + Math.floor(r() * 60);
    const height = 1 + Math.floor(r() * 12);
    const o = new Output({ width, height });
    let open = 0;
    const ops = 1 + Math.floor(r() * 25);
    for (let i = 0; i < ops; i++) {
      const roll = r();
      if (roll < 0.12) {
        const clip: { x1?: number; x2?: number; y1?: number; y2?: number } = {};
        if (r() < 0.7) Object.assign(clip, { x1: Math.floor(r() * width) - 2, x2: Math.floor(r() * width) + 2 });
        if (r() < 0.7) Object.assign(clip, { y1: Math.floor(r() * height) - 1, y2: Math.floor(r() * height) + 1 });
        o.clip(clip);
        open++;
      } else if (roll < 0.18 && open > 0) {
        o.unclip();
        open--;
      } else {
        const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
          Array.from({ length: 1 + Math.floor(r() * 5) }, () => (r() < 0.4 ? pick(STYLES) : '') + pick(PIECES)).join(''),
        );
        const transformers = r() < 0.2 ? [(line: string, index: number) => (index % 2 ? line.toUpperCase() : `>${line}`)] : [];
        o.write(Math.floor(r() * (width + 4)) - 2, Math.floor(r() * (height + 2)) - 1, lines.join('\n'), { transformers });
      }
    }
    return o;
  };
  // Each seed twice, in between others: the second time its rows come from the cache.
  for (const seed of [...Array.from({ length: 300 }, (_, i) => i), ...Array.from({ length: 300 }, (_, i) => 299 - i)]) {
    const expected = original.call(frame(seed) as never) as { output: string; height: number };
    expect({ seed, ...frame(seed).get() }).toEqual({ seed, ...expected });
  }
});

test('the remembered rows stay within their limit', async () => {
  await installInkOutputCache();
  const saved = ROW_LIMITS.rows;
  ROW_LIMITS.rows = 30;
  try {
    const before = renderToString(screen(3), { columns: 80 });
    for (let seed = 0; seed < 60; seed++) renderToString(screen(seed * 7), { columns: 80 });
    // Still right after rows were dropped and computed again.
    expect(renderToString(screen(3), { columns: 80 })).toBe(before);
  } finally {
    ROW_LIMITS.rows = saved;
  }
});
