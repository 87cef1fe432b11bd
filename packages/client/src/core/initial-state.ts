/** The state of a client that has not logged in. */
import { DEFAULT_SETTINGS, type Settings } from '../settings/settings.js';
import { BROADCASTS, type ClientState } from './types.js';

export function initialState(server: string, registrationOpen: boolean | null = null, settings: Settings = DEFAULT_SETTINGS): ClientState {
  return {
    settings,
    screen: 'login',
    connection: 'idle',
    connectionDetail: null,
    reconnectAt: null,
    server,
    user: null,
    registrationOpen,
    loginError: null,
    loginRetryAt: null,
    conversations: [{ with: BROADCASTS, unread: 0, online: false, lastAt: null }],
    openConversation: null,
    messages: {},
    responses: [],
    online: [],
    presenceKnown: true,
    away: {},
    typing: {},
    knownUsers: [],
    people: null,
    unreadTotal: 0,
    lastArrival: null,
    previews: [],
    newMarker: null,
    paging: {},
    newer: {},
    search: null,
    hit: null,
  };
}

/** The state after a login ends or fails: a fresh one that keeps what is known of the server and the settings. */
export function loggedOutState(s: ClientState): ClientState {
  return { ...initialState(s.server, s.registrationOpen, s.settings), ...(s.serverCheck ? { serverCheck: s.serverCheck } : {}) };
}
