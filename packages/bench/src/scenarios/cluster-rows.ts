/** The cluster scenario's measurements of a phase (one node, or two) and its rows. */
import type { Row } from '../harness.js';
import type { Cleaned, ClusterServices } from '../cluster-services.js';
import { fmt, row, versus } from './common.js';
import { servicesDetail } from './cluster-nodes.js';
import type { LatencyFigures } from './latency.js';
import type { ThroughputFigures } from './throughput.js';

export interface Phase {
  nodes: number;
  throughput: ThroughputFigures;
  latency: LatencyFigures;
  /** During the throughput measurement, in cores (1 = one core all the time): each node. */
  nodeCpu: number[];
  /** The same for the Redis server (INFO cpu), */
  redisCpu: number;
  /** the PostgreSQL server's processes (from /proc when it runs here; else null), */
  postgresCpu: number | null;
  /** the load-generator processes (null without /proc), */
  workersCpu: number | null;
  /** and the whole machine (every process, this run's or not). */
  machineCpu: number;
  cores: number;
  /** Per node: connections after every user logged in. */
  connections: number[];
}

export const pct = (f: number) => `${fmt(f * 100, 0)}%`;

export function clusterRows(
  window: number,
  pairCount: number,
  one: Phase,
  two: Phase,
  services: ClusterServices,
  cleaned: Cleaned | null,
): Row[] {
  const rate = two.latency.rate;
  const perCpu = (p: Phase) =>
    p.throughput.perSecond /
    Math.max(
      0.01,
      p.nodeCpu.reduce((a, b) => a + b, 0),
    );
  const side = (p: Phase) =>
    `CPU: node${p.nodes > 1 ? 's' : ''} ${p.nodeCpu.map(pct).join(' + ')}, PostgreSQL ${p.postgresCpu === null ? '?' : pct(p.postgresCpu)}, Redis ${pct(p.redisCpu)}, machine ${pct(p.machineCpu)} of ${p.cores * 100}%`;
  // The JSON's keys name the phase: oneSent, twoSent, ... (the harness's test reads them).
  const counts = <K extends string>(key: 'one' | 'two', figures: Record<K, number>, fields: readonly K[]) =>
    Object.fromEntries(fields.map((k) => [`${key}${k[0]!.toUpperCase()}${k.slice(1)}`, figures[k]]));
  const cpus = (key: 'one' | 'two', p: Phase) => ({
    [`${key}RedisCpu`]: p.redisCpu,
    [`${key}PostgresCpu`]: p.postgresCpu,
    [`${key}WorkersCpu`]: p.workersCpu,
    [`${key}MachineCpu`]: p.machineCpu,
  });
  const sent = ['sent', 'acked', 'delivered', 'errors'] as const;
  const detail = {
    pairs: pairCount,
    window,
    ...counts('one', one.throughput, sent),
    oneConnections: one.connections[0]!,
    oneNodeCpu: one.nodeCpu[0]!,
    ...cpus('one', one),
    ...counts('two', two.throughput, sent),
    twoNode1Connections: two.connections[0]!,
    twoNode2Connections: two.connections[1]!,
    twoNode1Cpu: two.nodeCpu[0]!,
    twoNode2Cpu: two.nodeCpu[1]!,
    ...cpus('two', two),
    cores: two.cores,
    ...servicesDetail(services, cleaned),
  };
  const received = ['sent', 'delivered', 'errors', 'samples'] as const;
  const latencyDetail = {
    rate,
    ...counts('one', one.latency, received),
    ...counts('two', two.latency, received),
    twoAckP99: two.latency.ackP99,
  };
  // Two nodes against one, the same figure from each.
  const vs = (pick: (p: Phase) => number) => versus(two, one, pick);
  return [
    row({
      name: 'cluster-1node-throughput',
      metric: `${pairCount} pairs, ${window} in flight each, one node on PostgreSQL+Redis, stored+delivered`,
      value: one.throughput.perSecond,
      unit: 'msg/s',
      baseline: null,
      note: `${side(one)}; ${one.throughput.errors} errors`,
      detail,
    }),
    row({
      name: 'cluster-2node-throughput',
      metric: 'the same pairs split over two nodes (sender on one, recipient on the other: every message crosses Redis); baseline one node',
      unit: 'msg/s',
      ...vs((p) => p.throughput.perSecond),
      note: `${side(two)}; ${two.throughput.errors} errors`,
      detail,
    }),
    row({
      name: 'cluster-2node-per-cpu',
      metric: 'the same, per second of chat-node CPU (all nodes together); baseline one node',
      unit: 'msg/CPU-s',
      ...vs(perCpu),
    }),
    row({
      name: 'cluster-2node-latency-p50',
      metric: `p50 send->receipt across nodes at ${rate} msg/s; baseline one node`,
      unit: 'ms',
      ...vs((p) => p.latency.p50),
      detail: latencyDetail,
    }),
    row({
      name: 'cluster-2node-latency-p99',
      metric: `p99 send->receipt across nodes at ${rate} msg/s; baseline one node`,
      unit: 'ms',
      ...vs((p) => p.latency.p99),
      note: `ack p99 ${fmt(two.latency.ackP99, 2)} ms (one node ${fmt(one.latency.ackP99, 2)} ms)`,
    }),
  ];
}
