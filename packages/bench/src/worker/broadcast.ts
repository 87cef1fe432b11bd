/** `bcast-listen` and `bcast-send`: broadcasts to every other user, each receiver stamping its receipt. */
import { emitToParent } from '../child.js';
import { clientId, clock, padText, refusalText, socketOf, sockets } from './state.js';

const bcast = { expected: 0, received: new Map<number, number[]>() };

/** Every socket of this worker except `except` listens for broadcasts and reports each once all have it. */
export function listenBroadcasts({ except }: { except?: string }): { listening: number } {
  bcast.expected = 0;
  bcast.received.clear();
  for (const [name, s] of sockets) {
    if (name === except) continue;
    bcast.expected++;
    s.on('broadcast:new', ({ text }) => {
      const now = clock();
      const id = Number(text.slice(2, text.indexOf(';')));
      const stamp = Number(text.slice(text.indexOf(';') + 3, text.indexOf(';', text.indexOf(';') + 1)));
      let list = bcast.received.get(id);
      if (!list) bcast.received.set(id, (list = []));
      list.push(now - stamp);
      if (list.length === bcast.expected) emitToParent('bcast-done', { id, latencies: Float64Array.from(list) });
    });
  }
  return { listening: bcast.expected };
}

export async function sendBroadcast({ from, id, textBytes }: { from: string; id: number; textBytes: number }) {
  const s = socketOf(from);
  const stamp = clock();
  const text = padText(`b=${id};t=${stamp.toFixed(3)};`, textBytes);
  const reply = await s.emitWithAck('broadcast:send', { text, clientId: clientId() });
  if (!reply.ok) throw new Error(`broadcast refused: ${refusalText(reply.error)}`);
  return { ackMs: clock() - stamp, recipients: reply.recipients?.length ?? 0 };
}
