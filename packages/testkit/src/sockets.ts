/** A raw socket.io client typed with the protocol's event maps, for tests that speak the protocol directly. */
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { ChatError, ClientToServerEvents, ServerToClientEvents, SessionInfo } from '@tui-chat/protocol';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A login refused in the handshake: the error, with the server's ChatError in `data`. */
export type RefusedLogin = Error & { data?: ChatError };

/**
 * Opens a raw socket (websocket only, no reconnection) to `port` on 127.0.0.1 with `auth`, adds it
 * to `keep` (for the test's clean-up), and resolves once the session is ready; rejects with the
 * server's refusal. A refused socket is let go, as the real client does. `options` go to socket.io-client.
 */
export function rawLogin(
  port: number,
  auth: Record<string, unknown>,
  keep: TestSocket[],
  options: Record<string, unknown> = {},
): Promise<{ socket: TestSocket; session: SessionInfo }> {
  const socket: TestSocket = connectSocket(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth,
    ...options,
  });
  keep.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session) => resolve({ socket, session }));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(Object.assign(new Error(err.message), { data: (err as { data?: ChatError }).data }) as RefusedLogin);
    });
  });
}
