/** A raw socket.io client typed with the protocol's event maps, for tests that speak the protocol directly. */
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@tui-chat/protocol';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
