/** What the broadcast and capacity steps measure, and their rows. */
import type { Row } from '../harness.js';
import { SERVER_NODE_FLAGS } from '@tui-chat/protocol/server-config';
import { fmt, row, versus } from './common.js';

const KiB = 1024;

export interface FanoutFigures {
  size: number;
  lastMedian: number;
  lastWorst: number;
  p50Median: number;
  ackMedian: number;
  reps: number;
  receipts: number;
}

export interface CapacityFigures {
  connections: number;
  connectsPerSecond: number;
  connectSeconds: number;
  rssPerConn: number;
  /** The same less the young generation's growth (a fixed cost of the semi-space size, not per connection). */
  rssPerConnLessYoung: number;
  /** How much the young generation grew over the ramp (bytes). */
  youngGrowth: number;
  heapPerConn: number;
  rssBefore: number;
  rssAfter: number;
  settleSeconds: number;
}

export function fanoutRows(chat: FanoutFigures, relay: FanoutFigures): Row[] {
  const { size, reps } = chat;
  const vs = (pick: (f: FanoutFigures) => number) => versus(chat, relay, pick);
  return [
    row({
      name: `broadcast-${size}-last`,
      metric: `broadcast to ${size} users: last receipt, median of ${reps}`,
      unit: 'ms',
      ...vs((f) => f.lastMedian),
      target: size === 5_000 ? '<= 200 ms' : undefined,
      note: `worst ${fmt(chat.lastWorst, 1)} ms; sender's ack ${fmt(chat.ackMedian, 1)} ms`,
      detail: {
        receivers: size,
        reps,
        chatReceipts: chat.receipts,
        relayReceipts: relay.receipts,
        chatWorst: chat.lastWorst,
        relayWorst: relay.lastWorst,
      },
    }),
    row({
      name: `broadcast-${size}-p50`,
      metric: `broadcast to ${size} users: median receipt, median of ${reps}`,
      unit: 'ms',
      ...vs((f) => f.p50Median),
    }),
  ];
}

export function capacityRows(planned: number, chat: CapacityFigures, relay: CapacityFigures): Row[] {
  // Named by the planned count (plus the sender); the figures say how many were reached.
  const n = planned + 1;
  const vs = (pick: (f: CapacityFigures) => number) => versus(chat, relay, pick);
  const short = chat.connections < n ? `; reached ${chat.connections} of ${n} within the connect budget` : '';
  const detail = {
    connections: n,
    chatConnections: chat.connections,
    relayConnections: relay.connections,
    chatRssAfterMiB: chat.rssAfter / 2 ** 20,
    relayRssAfterMiB: relay.rssAfter / 2 ** 20,
    chatConnectSeconds: chat.connectSeconds,
  };
  return [
    row({
      name: `capacity-${n}-rss`,
      metric: `server RSS per idle logged-in connection (${chat.connections}), all of its growth`,
      unit: 'KiB',
      ...vs((f) => f.rssPerConn / KiB),
      note:
        `of it the young generation grew ${fmt(chat.youngGrowth / 2 ** 20, 1)} MiB once (relay ${fmt(relay.youngGrowth / 2 ** 20, 1)}), ` +
        `the fixed cost of ${SERVER_NODE_FLAGS.join(' ')}${short}`,
      detail,
    }),
    row({
      name: `capacity-${n}-rss-per-conn`,
      metric: `server RSS per idle logged-in connection (${chat.connections}), less the young generation's one-off growth`,
      unit: 'KiB',
      ...vs((f) => f.rssPerConnLessYoung / KiB),
      target: '<= 20 KiB each',
      note: short ? short.slice(2) : undefined,
      detail: { chatConnections: chat.connections, chatYoungGrowth: chat.youngGrowth },
    }),
    row({
      name: `capacity-${n}-heap`,
      metric: `server JS heap per idle connection (${chat.connections})`,
      unit: 'KiB',
      ...vs((f) => f.heapPerConn / KiB),
    }),
    row({
      name: `capacity-${n}-connects`,
      metric: `logins to a ready session, 0 -> ${chat.connections}, 16 in flight per worker`,
      unit: 'conn/s',
      ...vs((f) => f.connectsPerSecond),
      note: `${fmt(chat.connectSeconds, 1)} s in all${short}`,
    }),
  ];
}
