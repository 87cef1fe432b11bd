/** Every request event and the module that answers it. */
import type { RequestEvent } from '@tui-chat/protocol';
import type { Handler } from './request.js';
import { messageSend } from './message-send.js';
import { broadcastSend } from './broadcast-send.js';
import { broadcastList } from './broadcast-list.js';
import { whoelse } from './whoelse.js';
import { wholast } from './wholast.js';
import { inbox } from './inbox.js';
import { history } from './history.js';
import { broadcastsFetch } from './broadcasts-fetch.js';
import { conversations } from './conversations.js';
import { readMark } from './read-mark.js';
import { syncSince } from './sync-since.js';
import { blockAdd, blockList, blockRemove } from './block.js';
import { logout } from './logout.js';
import { sessionActive } from './session-active.js';
import { usersList } from './users-list.js';
import { groupCreate } from './group-create.js';
import { groupInvite } from './group-invite.js';
import { groupLeave } from './group-leave.js';
import { groupMembers } from './group-members.js';
import { typingSend } from './typing-send.js';
import { away } from './away.js';
import { search } from './search.js';

export const handlers: { [E in RequestEvent]: Handler<E> } = {
  'message:send': messageSend,
  'broadcast:send': broadcastSend,
  'broadcast:list': broadcastList,
  'presence:whoelse': whoelse,
  'presence:wholast': wholast,
  'users:list': usersList,
  'inbox:fetch': inbox,
  'history:fetch': history,
  'broadcasts:fetch': broadcastsFetch,
  'conversations:list': conversations,
  'sync:since': syncSince,
  'read:mark': readMark,
  'block:add': blockAdd,
  'block:remove': blockRemove,
  'block:list': blockList,
  'session:logout': logout,
  'session:active': sessionActive,
  'group:create': groupCreate,
  'group:invite': groupInvite,
  'group:leave': groupLeave,
  'group:members': groupMembers,
  'typing:send': typingSend,
  'presence:away': away,
  'search:run': search,
};
