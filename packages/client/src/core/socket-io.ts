/**
 * socket.io-client is loaded when first needed, not with the client: it is about a fifth of the
 * client's start-up (0.12 s on a 2-core machine) and the login screen needs none of it. The UI
 * starts loading it as soon as the login screen is drawn; a login waits for it.
 */
import type { io as Io } from 'socket.io-client';

let loaded: typeof Io | null = null;
let loading: Promise<typeof Io> | null = null;

export function loadSocketIo(): Promise<typeof Io> {
  loading ??= import('socket.io-client').then((m) => (loaded = m.io));
  return loading;
}

/** socket.io-client's `io`; only after loadSocketIo() has resolved. */
export function socketIo(): typeof Io {
  if (!loaded) throw new Error('socket.io-client is not loaded yet: await loadSocketIo() first');
  return loaded;
}
