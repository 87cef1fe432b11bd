/** The exact versions this package's patches were written for (pinned in package.json to match). */
export const PATCHED_VERSIONS = {
  /** ink-output-cache.ts and ink-row-cache.ts follow Ink 6.8.0's Output.get step for step; load-ink.ts hides CI from its import; ink-fast-import.ts redirects its es-toolkit import. */
  ink: '6.8.0',
} as const;
