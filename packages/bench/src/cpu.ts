/** CPU time used so far: by the whole machine (os.cpus()) and by given processes (/proc, Linux). */
import fs from 'node:fs';
import os from 'node:os';

/** Busy and total CPU time of the whole machine so far (ms, summed over cores), from os.cpus(). */
export function machineCpu(): { busy: number; total: number; cores: number } {
  let busy = 0;
  let total = 0;
  const cpus = os.cpus();
  for (const c of cpus) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total, cores: cpus.length };
}

/** CPU seconds (user + system) used so far by each of these processes, from /proc (Linux); null elsewhere. */
export function processCpu(pids: number[]): Map<number, number> | null {
  if (process.platform !== 'linux') return null;
  const out = new Map<number, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone since it was listed
    }
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(pid, (Number(rest[11]) + Number(rest[12])) / 100); // USER_HZ
  }
  return out;
}

/**
 * CPU seconds (user + system) the calling thread has used so far, from /proc/thread-self (Linux;
 * null elsewhere). Called on a server's main thread it splits the process's CPU into the event
 * loop's and that of every other thread (the writer, hashing, libuv and V8's helpers).
 */
export function threadCpu(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100; // USER_HZ
  } catch {
    return null;
  }
}

/**
 * CPU seconds these processes used between two `processCpu` readings; a process that started in
 * between counts whole (one that ended in between is lost).
 */
export function cpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

/** The processes whose command name is `comm` (e.g. 'postgres'), from /proc; [] elsewhere. */
export function processesNamed(comm: string): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    try {
      if (fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim() === comm) out.push(Number(e));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return out;
}
