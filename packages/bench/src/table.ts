/** The printed table. */
import type { Row } from './harness.js';

function num(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '-';
  const abs = Math.abs(n);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatTable(rows: Row[]): string {
  const header = ['scenario', 'value', 'unit', 'baseline', 'ratio', 'target', 'what'];
  const body = rows.map((r) => [
    r.name,
    num(r.value),
    r.unit,
    num(r.baseline),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    r.target ?? '',
    r.metric + (r.note ? ` (${r.note})` : ''),
  ]);
  const right = new Set([1, 3, 4]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((w, i) => (i === widths.length - 1 ? '-'.repeat(Math.min(w, 40)) : '-'.repeat(w))).join('  '),
    ...body.map(line),
  ].join('\n');
}
