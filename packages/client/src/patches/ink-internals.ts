/**
 * The three internal modules of Ink that ink-output-cache.ts and ink-row-cache.ts need: Ink's
 * `Output` class, and the slice-ansi and ansi-tokenize functions its output.js uses. None is in
 * Ink's exports, so they are found by file next to Ink's entry point. The bundle
 * (scripts/bundle.mjs) puts a module in place of this one that imports the same files by path, so
 * that the patches reach the very `Output` the bundled Ink uses.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface InkInternals {
  output: { default?: unknown };
  sliceAnsi: { default?: unknown } | null;
  tokenize: { styledCharsToString?: unknown } | null;
}

async function importFile<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(file).href)) as T;
}

/** Ink's output.js (throws when it cannot be loaded); the two helpers are null when not found. */
export async function importInkInternals(): Promise<InkInternals> {
  const entry = createRequire(import.meta.url).resolve('ink');
  const outputFile = path.join(path.dirname(entry), 'output.js');
  const output = await importFile<InkInternals['output']>(outputFile);
  const req = createRequire(outputFile);
  let sliceAnsi: InkInternals['sliceAnsi'] = null;
  let tokenize: InkInternals['tokenize'] = null;
  try {
    sliceAnsi = await importFile(req.resolve('slice-ansi'));
    // Its package exports only `import`, so find it through its package.json.
    const tokenizeFile = path.join(path.dirname(req.resolve('@alcalzone/ansi-tokenize/package.json')), 'build', 'index.js');
    if (fs.existsSync(tokenizeFile)) tokenize = await importFile(tokenizeFile);
  } catch {
    // Left null: the row cache stays out and says so.
  }
  return { output, sliceAnsi, tokenize };
}
