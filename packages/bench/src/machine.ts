/** What the figures were measured on. */
import os from 'node:os';
import { execFileSync } from 'node:child_process';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memory: string;
  memoryBytes: number;
  node: string;
  os: string;
  /** Open-files limit (soft/hard) as children see it after raising. */
  nofile: string;
  load: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  let nofile = 'unknown';
  try {
    nofile = execFileSync('/bin/sh', ['-c', 'echo "$(ulimit -Sn)/$(ulimit -Hn)"'], { encoding: 'utf8' }).trim();
  } catch {
    // Not fatal.
  }
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    nofile,
    load: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
