/** The cluster scenario's measurements of a phase (one node, or two) and its rows. */
import type { Row } from '../harness.js';
import type { Cleaned, ClusterServices } from '../cluster-services.js';
import { fmt, row } from './common.js';
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
  const detail = {
    pairs: pairCount,
    window,
    oneSent: one.throughput.sent,
    oneAcked: one.throughput.acked,
    oneDelivered: one.throughput.delivered,
    oneErrors: one.throughput.errors,
    oneConnections: one.connections[0]!,
    oneNodeCpu: one.nodeCpu[0]!,
    oneRedisCpu: one.redisCpu,
    onePostgresCpu: one.postgresCpu,
    oneWorkersCpu: one.workersCpu,
    oneMachineCpu: one.machineCpu,
    twoSent: two.throughput.sent,
    twoAcked: two.throughput.acked,
    twoDelivered: two.throughput.delivered,
    twoErrors: two.throughput.errors,
    twoNode1Connections: two.connections[0]!,
    twoNode2Connections: two.connections[1]!,
    twoNode1Cpu: two.nodeCpu[0]!,
    twoNode2Cpu: two.nodeCpu[1]!,
    twoRedisCpu: two.redisCpu,
    twoPostgresCpu: two.postgresCpu,
    twoWorkersCpu: two.workersCpu,
    twoMachineCpu: two.machineCpu,
    cores: two.cores,
    ...servicesDetail(services, cleaned),
  };
  const latencyDetail = {
    rate,
    oneSent: one.latency.sent,
    oneDelivered: one.latency.delivered,
    oneErrors: one.latency.errors,
    oneSamples: one.latency.samples,
    twoSent: two.latency.sent,
    twoDelivered: two.latency.delivered,
    twoErrors: two.latency.errors,
    twoSamples: two.latency.samples,
    twoAckP99: two.latency.ackP99,
  };
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
      value: two.throughput.perSecond,
      unit: 'msg/s',
      baseline: one.throughput.perSecond,
      note: `${side(two)}; ${two.throughput.errors} errors`,
      detail,
    }),
    row({
      name: 'cluster-2node-per-cpu',
      metric: 'the same, per second of chat-node CPU (all nodes together); baseline one node',
      value: perCpu(two),
      unit: 'msg/CPU-s',
      baseline: perCpu(one),
    }),
    row({
      name: 'cluster-2node-latency-p50',
      metric: `p50 send->receipt across nodes at ${rate} msg/s; baseline one node`,
      value: two.latency.p50,
      unit: 'ms',
      baseline: one.latency.p50,
      detail: latencyDetail,
    }),
    row({
      name: 'cluster-2node-latency-p99',
      metric: `p99 send->receipt across nodes at ${rate} msg/s; baseline one node`,
      value: two.latency.p99,
      unit: 'ms',
      baseline: one.latency.p99,
      note: `ack p99 ${fmt(two.latency.ackP99, 2)} ms (one node ${fmt(one.latency.ackP99, 2)} ms)`,
    }),
  ];
}
