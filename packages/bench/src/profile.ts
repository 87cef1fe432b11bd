/** Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went. */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a script lives, shortened: a package name, a node: module, or a path inside the repo. */
export function moduleOf(url: string): string {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const pk = url.indexOf('/packages/');
  return pk !== -1 ? url.slice(pk + 1).replace(/^packages\//, '') : url.replace(/^file:\/\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  /** Time in a function and everything it called (recursion counted once). */
  inclusive: { name: string; where: string; totalMs: number; share: number }[];
  functions: { name: string; where: string; selfMs: number; share: number }[];
  modules: { module: string; selfMs: number; share: number }[];
}

export function readProfile(file: string): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const m = moduleOf(url);
    return { name: functionName || '(anonymous)', where: url ? `${m}:${lineNumber + 1}` : m };
  };
  const incl = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node) break;
      const l = label(node);
      const key = `${l.name}@${l.where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const e = incl.get(key) ?? { ...l, us: 0 };
      e.us += us;
      incl.set(key, e);
    }
  }
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const mod = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const m = moduleOf(url);
    const where = url ? `${m}:${lineNumber + 1}` : m;
    const key = `${name}@${where}`;
    const e = fn.get(key) ?? { name, where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const modKey = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : m;
    mod.set(modKey, (mod.get(modKey) ?? 0) + us);
  }
  const plumbing =
    /^\((root|program|idle|garbage collector)\)$|^(processTicksAndRejections|runMicrotasks|processImmediate|listOnTimeout|emit|emitReserved|onceWrapper|\(anonymous\))$/;
  return {
    totalMs: totalUs / 1000,
    inclusive: [...incl.values()]
      .filter((e) => !plumbing.test(e.name))
      .sort((a, b) => b.us - a.us)
      .map((e) => ({ name: e.name, where: e.where, totalMs: e.us / 1000, share: e.us / totalUs })),
    functions: [...fn.values()]
      .sort((a, b) => b.us - a.us)
      .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: e.us / totalUs })),
    modules: [...mod.entries()].sort((a, b) => b[1] - a[1]).map(([module, us]) => ({ module, selfMs: us / 1000, share: us / totalUs })),
  };
}

/** Printable lines: the top functions by self time, then the top modules. */
export function summarizeProfile(file: string, top = 15): string[] {
  const s = readProfile(file);
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [`${(s.totalMs / 1000).toFixed(1)} s sampled; top functions by self time:`];
  for (const f of s.functions.slice(0, top)) lines.push(`${pct(f.share)}  ${f.name}  ${f.where}`);
  lines.push('by module (self time):');
  for (const m of s.modules.slice(0, 12)) lines.push(`${pct(m.share)}  ${m.module}`);
  lines.push('top functions by total time (with callees):');
  for (const f of s.inclusive.slice(0, top)) lines.push(`${pct(f.share)}  ${f.name}  ${f.where}`);
  return lines;
}
