/**
 * How ClientState follows the connection: a login starting, the connection down and retrying, the
 * session up on another node of a cluster. Pure, beside loggedOutState, so ChatClient only wires
 * the connection's reports to them.
 */
import type { RetryInfo } from './connection-handlers.js';
import { withPresenceUnknown } from './conversations.js';
import { loggedOutState } from './initial-state.js';
import type { ClientState } from './types.js';

/** A login starts: "connecting" shows at once, with nothing left of the session before. */
export function connectingState(s: ClientState): ClientState {
  return { ...loggedOutState(s), connection: 'connecting', connectionDetail: `connecting to ${s.server}` };
}

/** Down: who is online is not known any more (presence changes meanwhile are not heard). */
export function retryingState(s: ClientState, { detail, at }: RetryInfo): ClientState {
  return s.screen === 'chat' ? withPresenceUnknown({ ...s, connection: 'reconnecting', connectionDetail: detail, reconnectAt: at }) : s;
}

/** Several servers: the session is up on this one (`display`, host:port), for the status bar. */
export function onServerState(s: ClientState, display: string): ClientState {
  return s.server === display ? s : { ...s, server: display };
}
