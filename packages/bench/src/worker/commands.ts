/**
 * Every command a load generator answers and the module that runs it (as the server's handler
 * map has one module per request). The harness calls them through `WorkerPeer`, typed by this map.
 */
import { connectAll } from './connect.js';
import { throughput } from './throughput.js';
import { rate } from './rate.js';
import { listenBroadcasts, sendBroadcast } from './broadcast.js';
import { loginFlood } from './login-flood.js';
import { move } from './move.js';
import { disarmFailover, failoverArm, failoverWait } from './failover.js';
import { fill } from './fill.js';
import { historyRead } from './history-read.js';
import { closeIrc, ircConnect, ircRate, ircThroughput } from './irc.js';
import { sockets, tokens } from './state.js';

/** Closes every socket of this worker, IRC ones too (and forgets tokens and any armed failover). */
async function closeAll(): Promise<{ closed: number }> {
  disarmFailover();
  tokens.clear();
  const all = [...sockets.values()];
  sockets.clear();
  const [irc] = await Promise.all([closeIrc(), ...all.map((s) => s.closeAndWait())]);
  return { closed: all.length + (irc ?? 0) };
}

export const commands = {
  connect: connectAll,
  throughput,
  rate,
  'bcast-listen': listenBroadcasts,
  'bcast-send': sendBroadcast,
  'login-flood': loginFlood,
  move,
  'failover-arm': failoverArm,
  'failover-wait': failoverWait,
  fill,
  'history-read': historyRead,
  'irc-connect': ircConnect,
  'irc-throughput': ircThroughput,
  'irc-rate': ircRate,
  count: (_args: Record<string, never>) => ({ open: [...sockets.values()].filter((s) => s.open).length }),
  'close-all': (_args: Record<string, never>) => closeAll(),
  memory: (_args: Record<string, never>) => process.memoryUsage(),
};

export type WorkerCommands = typeof commands;
export type WorkerCommand = keyof WorkerCommands;
export type WorkerArgs<C extends WorkerCommand> = Parameters<WorkerCommands[C]>[0];
export type WorkerResult<C extends WorkerCommand> = Awaited<ReturnType<WorkerCommands[C]>>;
