/** A typed request with an acknowledgement and a timeout. */
import type { ClientToServerEvents, ReplyOf, RequestEvent, RequestPayload, ServerToClientEvents } from '@tui-chat/protocol';
import type { Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A request that got no answer: not connected, or no acknowledgement in time. */
export class RequestFailure extends Error {
  constructor(
    readonly reason: 'offline' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

export const OFFLINE_MESSAGE = 'Not connected to the server; try again once the connection is back.';

export async function emitRequest<E extends RequestEvent>(
  socket: ClientSocket | null,
  event: E,
  payload: RequestPayload<E>,
  timeoutMs: number,
): Promise<ReplyOf<E>> {
  if (!socket?.connected) throw new RequestFailure('offline', OFFLINE_MESSAGE);
  const timed = socket.timeout(timeoutMs) as unknown as {
    emitWithAck(event: E, payload: RequestPayload<E>): Promise<ReplyOf<E>>;
  };
  try {
    return await timed.emitWithAck(event, payload);
  } catch {
    if (!socket.connected) throw new RequestFailure('offline', 'The connection was lost before the server answered.');
    throw new RequestFailure('timeout', `The server did not answer within ${Math.round(timeoutMs / 1000)} s.`);
  }
}
