/** Ink's output caches shared between frames: in place, bounded, and the frames unchanged. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import React from 'react';
import { Box, Text, renderToString } from 'ink';
import { installInkOutputCache, LIMITS } from '../../src/ui/ink-output-cache.js';

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

async function inkOutput(): Promise<new (o: { width: number; height: number }) => { caches: unknown; get(): unknown }> {
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
