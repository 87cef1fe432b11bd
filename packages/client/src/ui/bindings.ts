/** Every key binding, for the help screen. Keep in step with ChatScreen and LoginScreen. */

export interface KeyBinding {
  keys: string;
  action: string;
}

export const CHAT_KEYS: readonly KeyBinding[] = [
  { keys: 'F1, /help', action: 'show or hide this help' },
  { keys: 'F2 or Alt+1', action: 'go to the conversation list' },
  { keys: 'F3 or Alt+2', action: 'go to the messages' },
  { keys: 'F4 or Alt+3', action: 'go to the responses' },
  { keys: 'F5, Alt+4 or Esc', action: 'back to the input line (Esc works everywhere)' },
  { keys: 'Tab / Shift+Tab', action: 'next / previous pane (when the input line is empty)' },
  { keys: 'Tab (typing)', action: 'complete a command or user name; Tab again for the next match' },
  { keys: 'Enter', action: 'send the line; in the list: open that conversation' },
  { keys: 'Up / Down', action: 'input: earlier / later lines; list: move; panes: scroll a line' },
  { keys: 'PgUp / PgDn', action: 'scroll a page (from the input line: the messages)' },
  { keys: 'Home / End', action: 'top / bottom of a pane; start / end of the input line' },
  { keys: 'End (at line end)', action: 'from the input line: jump the messages to the newest' },
  { keys: 'Alt+A or Ctrl+N', action: 'open the next conversation with unread messages' },
  { keys: 'Left / Right', action: 'move in the line (Ctrl or Alt: by word)' },
  { keys: 'Ctrl+A / Ctrl+E', action: 'start / end of the line' },
  { keys: 'Ctrl+U / Ctrl+K', action: 'delete to the start / end of the line' },
  { keys: 'Ctrl+W', action: 'delete the word before the cursor' },
  { keys: 'Ctrl+C, /quit', action: 'quit' },
];

export const PASTE_HELP =
  'Pasting several lines never sends them one by one without asking: Enter sends each line as ' +
  'its own message, J joins them into the input line as one line, Esc cancels.';

export const LOGIN_KEYS: readonly KeyBinding[] = [
  { keys: 'Enter', action: 'next field, then log in' },
  { keys: 'Tab / Up / Down', action: 'move between fields' },
  { keys: 'Ctrl+R', action: 'switch between logging in and creating an account' },
  { keys: 'Ctrl+C', action: 'quit' },
];
