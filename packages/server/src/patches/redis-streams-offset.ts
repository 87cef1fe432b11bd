/**
 * The Redis streams adapter's reader never reads "from now" twice: nothing added between two of
 * its reads is skipped.
 *
 * The adapter (0.3.1, startPolling) reads the stream with XREAD BLOCK from the last entry it read,
 * but until it has read one it passes `$` ("entries added after this command arrives"), again at
 * every read that timed out empty. Whatever other nodes added between one such read timing out
 * in Redis and the next one arriving was never read by this node: a fresh node in a quiet cluster,
 * its event loop busy for longer than a blocking read (1 s here), lost every delivery published
 * meanwhile. The burst test in test/cluster/two-nodes.test.ts passed by luck of timing: its
 * writes reached Redis while the reader's `$` read was still blocking; once the writes were
 * deferred by a turn (ioredis's autopipelining), the read had timed out by then and the node
 * missed two thirds of the burst.
 *
 * So the reader's `$` becomes a concrete position: the stream's newest entry when the first such
 * read is made (`0-0` when there is no stream yet), and after that the newest entry it was given.
 * The reader is a `duplicate()` of the client handed to the adapter, so that client's `duplicate`
 * hands out copies whose `xread` does this. Fenced (fence.ts): only on the
 * @socket.io/redis-streams-adapter in PATCHED_VERSIONS; another is recorded and logged.
 */
import type { Redis } from 'ioredis';
import { notInstalled, versionMatches } from '@tui-chat/protocol/fence';
import { PATCHED_VERSIONS } from './versions.js';

export const STREAM_OFFSET = 'redis-streams-known-offset';

type XRead = (...args: (string | number)[]) => Promise<[string, [string, string[]][]][] | null>;

/** The id of the newest entry of `stream`, or 0-0 when it has none. */
async function newestId(client: Redis, stream: string): Promise<string> {
  const [newest] = await client.xrevrange(stream, '+', '-', 'COUNT', 1);
  return newest?.[0] ?? '0-0';
}

/** Makes the adapter reading `stream` through duplicates of `client` resume from known positions only. */
export function readFromKnownOffsets(client: Redis, stream: string): void {
  const target = '@socket.io/redis-streams-adapter';
  if (!versionMatches(STREAM_OFFSET, target, PATCHED_VERSIONS[target], import.meta.url)) return;
  if (typeof client.duplicate !== 'function') {
    notInstalled(STREAM_OFFSET, 'the client has no duplicate()');
    return;
  }
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((...args: Parameters<Redis['duplicate']>) => {
    const copy = duplicate(...args);
    const xread = (copy.xread as unknown as XRead).bind(copy);
    let known: string | null = null;
    (copy as unknown as { xread: XRead }).xread = async (...command) => {
      const at = command.length - 1;
      if (command[at] === '$' && command[at - 1] === stream) {
        known ??= await newestId(copy, stream);
        command[at] = known;
      }
      const reply = await xread(...command);
      const last = reply?.[0]?.[1].at(-1)?.[0];
      if (last) known = last;
      return reply;
    };
    return copy;
  }) as Redis['duplicate'];
}
