/**
 * Keys as data: one table per context maps a key to a named action. The chat screen's reducer
 * (chat-reducer.ts) and the login screen act on the names; the help overlay and the README's key
 * table are generated from these tables (key-labels.ts; a test keeps the README in step), so what is listed is
 * what works.
 */
import type { KeyEvent } from './keys.js';

/** Where a key is read: the first context that binds it wins (see contextsFor in chat-reducer.ts). */
export type KeyContext = 'global' | 'input' | 'list' | 'pane' | 'help' | 'people' | 'search' | 'paste' | 'quit' | 'login';

export type Action =
  // global
  | 'quit'
  | 'help.toggle'
  | 'people.toggle'
  | 'focus.conversations'
  | 'focus.messages'
  | 'focus.responses'
  | 'focus.input'
  | 'focus.next'
  | 'focus.previous'
  | 'open.nextUnread'
  | 'screen.redraw'
  | 'connection.retryNow'
  // the input line
  | 'line.submit'
  | 'line.start'
  | 'line.end'
  | 'line.endOrNewest'
  | 'line.newest'
  | 'char.left'
  | 'char.right'
  | 'word.left'
  | 'word.right'
  | 'char.deleteBack'
  | 'char.deleteForward'
  | 'word.deleteBack'
  | 'line.killToStart'
  | 'line.killToEnd'
  | 'history.up'
  | 'history.down'
  | 'complete.next'
  | 'complete.previous'
  | 'messages.pageUp'
  | 'messages.pageDown'
  // the conversation list
  | 'list.up'
  | 'list.down'
  | 'list.pageUp'
  | 'list.pageDown'
  | 'list.first'
  | 'list.last'
  | 'list.open'
  // the messages and responses panes
  | 'scroll.up'
  | 'scroll.down'
  | 'scroll.pageUp'
  | 'scroll.pageDown'
  | 'scroll.top'
  | 'scroll.bottom'
  | 'pane.leave'
  // the help overlay
  | 'help.close'
  // the people list
  | 'people.close'
  // the search results
  | 'search.close'
  // a paste waiting for a decision
  | 'paste.send'
  | 'paste.join'
  | 'paste.cancel'
  | 'paste.asOne'
  | 'line.newline'
  // quitting while messages are not sent yet
  | 'quit.confirm'
  | 'quit.stay'
  // the login screen
  | 'login.next'
  | 'login.nextField'
  | 'login.previousField'
  | 'login.toggleRegister'
  | 'login.toggleRemember';

/** One line of the key tables: keys (as keyId gives them), what they do, and the words for the help. */
export interface Binding {
  keys: readonly string[];
  action: Action;
  help: string;
}

/** A key's name as the tables write it: 'f2', 'alt+1', 'ctrl+a', 'shift+tab', 'pageup', 'return', 'text'. */
export function keyId(key: KeyEvent): string {
  if (key.name === 'text' && !key.ctrl && !key.meta) return 'text';
  const mods: string[] = [];
  if (key.ctrl) mods.push('ctrl');
  if (key.meta) mods.push('alt');
  if (key.shift && key.name !== 'text') mods.push('shift');
  return [...mods, key.name === 'text' ? key.text.toLowerCase() : key.name].join('+');
}

export const KEYMAP: Record<KeyContext, readonly Binding[]> = {
  global: [
    {
      keys: ['ctrl+c'],
      action: 'quit',
      help: 'quit (also /quit); with a line typed, it clears the line first (Up brings it back)',
    },
    { keys: ['f1'], action: 'help.toggle', help: 'show or hide this help (also /help)' },
    {
      keys: ['f6', 'alt+p'],
      action: 'people.toggle',
      help: 'the people of the server: type the start of a name to narrow it, Enter opens a conversation (also /people)',
    },
    { keys: ['f2', 'alt+1'], action: 'focus.conversations', help: 'go to the conversation list' },
    { keys: ['f3', 'alt+2'], action: 'focus.messages', help: 'go to the messages' },
    { keys: ['f4', 'alt+3'], action: 'focus.responses', help: 'go to the responses' },
    { keys: ['f5', 'alt+4', 'escape'], action: 'focus.input', help: 'back to the input line' },
    { keys: ['tab'], action: 'focus.next', help: 'next pane (in the input line: only when it is empty)' },
    { keys: ['shift+tab'], action: 'focus.previous', help: 'previous pane (likewise)' },
    {
      keys: ['alt+a', 'ctrl+n'],
      action: 'open.nextUnread',
      help: 'open what the preview line shows, else the next conversation with unread messages',
    },
    { keys: ['ctrl+l'], action: 'screen.redraw', help: 'clear the screen and draw it all again' },
    { keys: ['ctrl+r'], action: 'connection.retryNow', help: 'reconnect now, when the connection is down (instead of the countdown)' },
  ],
  input: [
    { keys: ['return'], action: 'line.submit', help: 'send the line (a command, or text to the open conversation)' },
    { keys: ['alt+return'], action: 'line.newline', help: 'a line break in the message (shown as ↵; Enter sends it all)' },
    { keys: ['tab'], action: 'complete.next', help: 'complete a command or user name; again for the next match' },
    { keys: ['shift+tab'], action: 'complete.previous', help: 'the previous match' },
    { keys: ['up'], action: 'history.up', help: 'an earlier line' },
    { keys: ['down'], action: 'history.down', help: 'a later line' },
    { keys: ['left', 'ctrl+b'], action: 'char.left', help: 'move left' },
    { keys: ['right', 'ctrl+f'], action: 'char.right', help: 'move right' },
    { keys: ['ctrl+left', 'alt+left', 'alt+b'], action: 'word.left', help: 'a word left' },
    { keys: ['ctrl+right', 'alt+right', 'alt+f'], action: 'word.right', help: 'a word right' },
    { keys: ['home', 'ctrl+a'], action: 'line.start', help: 'start of the line' },
    { keys: ['end'], action: 'line.endOrNewest', help: 'end of the line; at the end already: the messages jump to the newest' },
    { keys: ['ctrl+e'], action: 'line.end', help: 'end of the line' },
    { keys: ['ctrl+end'], action: 'line.newest', help: 'the messages jump to the newest' },
    { keys: ['backspace'], action: 'char.deleteBack', help: 'delete the character before the cursor' },
    { keys: ['delete', 'ctrl+d'], action: 'char.deleteForward', help: 'delete the character under the cursor' },
    {
      keys: ['ctrl+w', 'alt+backspace', 'ctrl+backspace'],
      action: 'word.deleteBack',
      help: 'delete the word before the cursor (Ctrl+H is Ctrl+Backspace)',
    },
    { keys: ['ctrl+u'], action: 'line.killToStart', help: 'delete to the start of the line' },
    { keys: ['ctrl+k'], action: 'line.killToEnd', help: 'delete to the end of the line' },
    { keys: ['pageup'], action: 'messages.pageUp', help: 'scroll the messages a page up (at the top: older messages load)' },
    { keys: ['pagedown'], action: 'messages.pageDown', help: 'scroll the messages a page down' },
  ],
  list: [
    { keys: ['up'], action: 'list.up', help: 'the conversation above' },
    { keys: ['down'], action: 'list.down', help: 'the conversation below' },
    { keys: ['pageup'], action: 'list.pageUp', help: 'a page up' },
    { keys: ['pagedown'], action: 'list.pageDown', help: 'a page down' },
    { keys: ['home'], action: 'list.first', help: 'the first conversation' },
    { keys: ['end'], action: 'list.last', help: 'the last' },
    { keys: ['return'], action: 'list.open', help: 'open it, and go back to the input line' },
  ],
  pane: [
    { keys: ['up'], action: 'scroll.up', help: 'scroll a line up (at the top of the messages: older ones load)' },
    { keys: ['down'], action: 'scroll.down', help: 'scroll a line down' },
    { keys: ['pageup'], action: 'scroll.pageUp', help: 'a page up' },
    { keys: ['pagedown'], action: 'scroll.pageDown', help: 'a page down' },
    { keys: ['home'], action: 'scroll.top', help: 'the top' },
    { keys: ['end'], action: 'scroll.bottom', help: 'the newest' },
    { keys: ['return'], action: 'pane.leave', help: 'back to the input line' },
  ],
  help: [
    { keys: ['up'], action: 'scroll.up', help: 'scroll a line' },
    { keys: ['down'], action: 'scroll.down', help: 'scroll a line' },
    { keys: ['pageup'], action: 'scroll.pageUp', help: 'a page up' },
    { keys: ['pagedown'], action: 'scroll.pageDown', help: 'a page down' },
    { keys: ['home'], action: 'scroll.top', help: 'the top' },
    { keys: ['end'], action: 'scroll.bottom', help: 'the end' },
    { keys: ['escape'], action: 'help.close', help: 'close it (any other key closes it and does its own job)' },
  ],
  people: [
    { keys: ['up'], action: 'list.up', help: 'the person above' },
    { keys: ['down'], action: 'list.down', help: 'the person below (at the end: the next names load)' },
    { keys: ['pageup'], action: 'list.pageUp', help: 'a page up' },
    { keys: ['pagedown'], action: 'list.pageDown', help: 'a page down' },
    { keys: ['home'], action: 'list.first', help: 'the first' },
    { keys: ['end'], action: 'list.last', help: 'the last loaded' },
    { keys: ['return'], action: 'list.open', help: 'open the conversation with them, and go to the input line' },
    { keys: ['backspace'], action: 'char.deleteBack', help: 'a letter less of the name typed (letters, digits, _ . - narrow it)' },
    { keys: ['escape', 'f6'], action: 'people.close', help: 'close it (any other key closes it and does its own job)' },
  ],
  search: [
    { keys: ['up'], action: 'list.up', help: 'the newer match' },
    { keys: ['down'], action: 'list.down', help: 'the older match (near the end: the next matches load)' },
    { keys: ['pageup'], action: 'list.pageUp', help: 'a page up' },
    { keys: ['pagedown'], action: 'list.pageDown', help: 'a page down' },
    { keys: ['home'], action: 'list.first', help: 'the newest' },
    { keys: ['end'], action: 'list.last', help: 'the oldest loaded' },
    {
      keys: ['return'],
      action: 'list.open',
      help: 'show it in its conversation, with the messages around it (marked until the next key)',
    },
    { keys: ['escape'], action: 'search.close', help: 'close it (any other key closes it and does its own job)' },
  ],
  paste: [
    { keys: ['return'], action: 'paste.send', help: 'send each pasted line as its own message' },
    { keys: ['j'], action: 'paste.join', help: 'join the lines into the input line, as one line' },
    { keys: ['m'], action: 'paste.asOne', help: 'one message with its line breaks, in the input line (Enter sends it)' },
    { keys: ['escape'], action: 'paste.cancel', help: 'cancel the paste (keys typed meanwhile run after the choice)' },
  ],
  quit: [
    { keys: ['return', 'ctrl+c'], action: 'quit.confirm', help: 'quit; what is not sent yet goes out the next time you log in' },
    { keys: ['escape'], action: 'quit.stay', help: 'stay (any other key stays too, and does its own job)' },
  ],
  login: [
    { keys: ['return'], action: 'login.next', help: 'the next field, then log in' },
    { keys: ['tab', 'down'], action: 'login.nextField', help: 'the next field' },
    { keys: ['shift+tab', 'up'], action: 'login.previousField', help: 'the previous field' },
    { keys: ['ctrl+r'], action: 'login.toggleRegister', help: 'switch between logging in and creating an account' },
    {
      keys: ['ctrl+t'],
      action: 'login.toggleRemember',
      help: 'remember this device: the next start logs in without the password until the session expires (/logout forgets it)',
    },
    { keys: ['ctrl+l'], action: 'screen.redraw', help: 'clear the screen and draw it all again' },
    { keys: ['ctrl+c'], action: 'quit', help: 'quit' },
  ],
};

/** The paste context's 'j' is a plain letter, J with or without Shift. */
function idIn(context: KeyContext, key: KeyEvent): string {
  if (context === 'paste' && key.name === 'text' && !key.ctrl && !key.meta) return key.text.toLowerCase();
  return keyId(key);
}

const lookup = new Map<KeyContext, Map<string, Action>>(
  (Object.keys(KEYMAP) as KeyContext[]).map((context) => [
    context,
    new Map(KEYMAP[context].flatMap((b) => b.keys.map((k) => [k, b.action] as const))),
  ]),
);

/** The action bound to `key` in `context`, if any. */
export function actionFor(context: KeyContext, key: KeyEvent): Action | undefined {
  return lookup.get(context)!.get(idIn(context, key));
}
