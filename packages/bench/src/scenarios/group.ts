/**
 * Group fan-out: one message to a group of 50 members (and its sender), from the send to the last
 * member's receipt, against the pair path doing the same fan-out: a list broadcast to the same 50
 * (`broadcast user ... message ...`: one request, 50 pair messages in one group commit). Chat only
 * (the relays have no groups); the members are light sockets in this process, the server in its own.
 */
import { performance } from 'node:perf_hooks';
import { PASSWORD, Target, users, type Context } from '../harness.js';
import { LiteSocket } from '../lite-socket.js';
import { median, sleep } from '../stats.js';
import { fmt, row, stopTarget, type Scenario } from './common.js';

const SENDER = 'gsend';
const GROUP = '#bench';

interface Figures {
  lastMedian: number;
  lastWorst: number;
  ackMedian: number;
  reps: number;
}

let serial = 0;
const clientId = (): string => `bench-group-${process.pid}-${++serial}`;

/** Sends `reps` times (one after another) and times each to the last of `members`' receipts. */
async function fanout(
  members: LiteSocket[],
  reps: number,
  pause: number,
  send: (text: string) => Promise<{ ok: boolean; error?: { message: string } }>,
): Promise<Figures> {
  const lasts: number[] = [];
  const acks: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const text = `fan-out ${rep} ${'x'.repeat(80)}`;
    let left = members.length;
    let last = 0;
    const t0 = performance.now();
    const all = new Promise<void>((resolve) => {
      for (const m of members) {
        m.on('message:new', (payload) => {
          if ((payload as { text?: string }).text !== text) return;
          m.off('message:new');
          last = performance.now();
          if (--left === 0) resolve();
        });
      }
    });
    const reply = await send(text);
    acks.push(performance.now() - t0);
    if (!reply.ok) throw new Error(`send refused: ${reply.error?.message}`);
    await all;
    lasts.push(last - t0);
    await sleep(pause);
  }
  return { lastMedian: median(lasts), lastWorst: Math.max(...lasts), ackMedian: median(acks), reps };
}

export const groupScenario: Scenario = {
  name: 'group',
  title: 'group fan-out: one message to a 50-member group, last receipt, against a list broadcast to the same 50 (pair path; chat only)',
  async run(ctx: Context) {
    const o = ctx.options;
    const size = o.tiny ? 5 : 50;
    const reps = o.tiny ? 3 : o.quick ? 10 : 30;
    const pause = o.tiny ? 5 : 50;
    const names = users('gm', size);
    const target = await Target.start(ctx, 'chat');
    const sockets: LiteSocket[] = [];
    try {
      await target.seed([SENDER, ...names], PASSWORD);
      const login = async (user: string) => {
        const s = await LiteSocket.connect({ url: target.url, auth: { user, password: PASSWORD }, readyEvent: 'session:ready' });
        sockets.push(s);
        return s;
      };
      const sender = await login(SENDER);
      const members: LiteSocket[] = [];
      for (const n of names) members.push(await login(n));
      const made = await sender.emitWithAck('group:create', { name: GROUP, members: names });
      if (!made.ok) throw new Error(`group:create refused: ${made.error?.message}`);
      // Warm both paths (the first pair messages make the pair conversations and their rooms).
      const toGroup = (text: string) => sender.emitWithAck('message:send', { to: GROUP, text, clientId: clientId() });
      const toList = (text: string) => sender.emitWithAck('broadcast:list', { to: names, text, clientId: clientId() });
      await fanout(members, 2, pause, toGroup);
      await fanout(members, 2, pause, toList);
      const group = await fanout(members, reps, pause, toGroup);
      const list = await fanout(members, reps, pause, toList);
      ctx.log(
        `  chat: to ${size} members, last receipt median ${fmt(group.lastMedian, 2)} ms (worst ${fmt(group.lastWorst, 2)}), ack ${fmt(group.ackMedian, 2)} ms; ` +
          `list broadcast to the same ${size}: ${fmt(list.lastMedian, 2)} ms (worst ${fmt(list.lastWorst, 2)}), ack ${fmt(list.ackMedian, 2)} ms; ${reps} each`,
      );
      return [
        row({
          name: 'group-fanout',
          metric: `last receipt, one message to a ${size}-member group (median of ${reps})`,
          value: group.lastMedian,
          unit: 'ms',
          baseline: list.lastMedian,
          target: 'chat',
          note: `baseline: a list broadcast to the same ${size} (the pair path: ${size} pair messages, one request)`,
          detail: {
            size,
            reps,
            groupWorst: group.lastWorst,
            listWorst: list.lastWorst,
            groupAck: group.ackMedian,
            listAck: list.ackMedian,
          },
        }),
        row({
          name: 'group-fanout',
          metric: `sender's acknowledgement (median of ${reps})`,
          value: group.ackMedian,
          unit: 'ms',
          baseline: list.ackMedian,
          target: 'chat',
          note: 'baseline: the list broadcast (stores 50 messages, the group 1)',
        }),
      ];
    } finally {
      for (const s of sockets) s.close();
      await stopTarget(ctx, target, 'group/chat');
    }
  },
};
