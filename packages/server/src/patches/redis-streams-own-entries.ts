/**
 * A node skips the entries of the adapter's Redis stream that it wrote itself, before decoding them.
 *
 * Every node reads the whole stream, its own entries included, and the Redis streams adapter
 * decodes each one (JSON.parse of the packet, or msgpack when it holds binary) before
 * socket.io-adapter's ClusterAdapter drops those whose uid is the node's own: on one node under
 * load every entry was decoded for nothing, and on two about half. The entry's uid is a plain
 * field of the raw entry, so the adapter's `onRawMessage` now returns at once when it is this
 * adapter's uid: the same outcome (ClusterAdapter's and ClusterAdapterWithHeartbeat's `onMessage`
 * both return first thing for their own uid) without the decoding.
 *
 * The adapter class is not exported, so it is patched through the prototype of the main
 * namespace's adapter (once per process; the patched method is marked). Fenced (fence.ts): only
 * on the @socket.io/redis-streams-adapter in PATCHED_VERSIONS; another is recorded and logged.
 */
import type { Server } from 'socket.io';
import { notInstalled, versionMatches } from '@tui-chat/protocol/fence';
import { PATCHED_VERSIONS } from './versions.js';

export const SKIP_OWN_ENTRIES = 'redis-streams-skip-own-entries';

const PATCHED = Symbol.for('tui-chat.skipOwnEntries');

interface RawEntry {
  uid?: unknown;
}

type OnRawMessage = ((this: { uid?: unknown }, raw: RawEntry, offset: string) => void) & { [PATCHED]?: true };

/** True when `adapter` (a namespace's) skips its own stream entries. */
export function ownEntriesSkipped(adapter: unknown): boolean {
  return Boolean((adapter as { onRawMessage?: OnRawMessage } | null)?.onRawMessage?.[PATCHED]);
}

/** Makes `io`'s Redis streams adapter leave the entries it wrote itself undecoded. */
export function skipOwnEntries(io: Server): void {
  const target = '@socket.io/redis-streams-adapter';
  if (!versionMatches(SKIP_OWN_ENTRIES, target, PATCHED_VERSIONS[target], import.meta.url)) return;
  const adapter = io.of('/').adapter as unknown as { uid?: unknown; onRawMessage?: OnRawMessage };
  const proto = Object.getPrototypeOf(adapter) as { onRawMessage?: OnRawMessage };
  if (typeof proto.onRawMessage !== 'function' || typeof adapter.uid !== 'string') {
    notInstalled(SKIP_OWN_ENTRIES, 'the adapter has no onRawMessage or no uid');
    return;
  }
  if (proto.onRawMessage[PATCHED]) return;
  const original = proto.onRawMessage;
  const skipping: OnRawMessage = function (this: { uid?: unknown }, raw: RawEntry, offset: string) {
    if (raw.uid === this.uid) return;
    original.call(this, raw, offset);
  };
  skipping[PATCHED] = true;
  proto.onRawMessage = skipping;
}
