/**
 * The disk's own commit cost, measured where the server keeps its database: append a few pages
 * and fdatasync, as SQLite does at every commit with synchronous=FULL in WAL mode. The latency
 * scenario reports it beside its p99, which cannot be lower than what this disk gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';

export interface FsyncFigures {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

/** `count` appends of `bytes` each followed by fdatasync, in a file of its own in `dir` (removed after). */
export function probeFsync(dir: string, count: number, bytes = 8192): FsyncFigures {
  const file = path.join(dir, `fsync-probe-${process.pid}`);
  const page = Buffer.alloc(bytes, 0x61);
  const times = new Float64Array(count);
  const fd = fs.openSync(file, 'a');
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      fs.writeSync(fd, page);
      fs.fdatasyncSync(fd);
      times[i] = performance.now() - t0;
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  times.sort();
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[count - 1] ?? NaN, samples: count };
}
