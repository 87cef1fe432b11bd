/**
 * The chat screen: conversation list, messages, responses, input line and status bar, sized to
 * the terminal. Holds the UI-only state (focus, input line, scroll positions, help) and turns
 * keys into ClientActions calls. Incoming state never touches the input line.
 */
import React, { useEffect, useReducer, useRef } from 'react';
import { Box } from 'ink';
import { BROADCASTS, type ClientActions, type ClientState } from '../core/types.js';
import { ConversationList, listEntries } from './ConversationList.js';
import { HelpOverlay, helpMaxTop, type CommandHelp } from './HelpOverlay.js';
import * as ed from './input-editor.js';
import { InputLine } from './InputLine.js';
import type { KeyEvent } from './keys.js';
import { chatLayout, tooSmall, type ChatLayout } from './layout.js';
import { firstNewIndex, MessagePane, messageList, type MessageListExtras } from './MessagePane.js';
import { ResponsesPane, responseList } from './ResponsesPane.js';
import { StatusBar } from './StatusBar.js';
import { TooSmall } from './TooSmall.js';
import { useScreenKeys } from './use-keyboard.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
import { scrollBy, scrollHome, scrollToItem, visibleRows, type Scroll, type VirtualList } from './virtual-list.js';
import { currentPreview, type Preview } from '../core/arrivals.js';

export type PaneId = 'conversations' | 'messages' | 'responses' | 'input';
export const PANE_ORDER: readonly PaneId[] = ['conversations', 'messages', 'responses', 'input'];

export interface ChatScreenProps {
  state: ClientState;
  actions: ClientActions;
  commands: readonly CommandHelp[];
  onQuit: () => void;
  /** Overrides the terminal size (tests, examples). */
  size?: TerminalSize;
}

interface UiState {
  focus: PaneId;
  editor: ed.EditorState;
  messageScroll: Scroll;
  responseScroll: Scroll;
  /** The selected list entry, by name: the list reorders as messages arrive. */
  selected: string | null;
  help: { open: boolean; top: number };
  flash: string | null;
  /** The open conversation last seen, to follow changes made by commands. */
  lastOpen: string | null | undefined;
  /** The messages view still has to start at the `── new ──` line, once its message is loaded. */
  jumpToNew: boolean;
  /**
   * An older page was asked for from the top of the view: the view stays at the top while it
   * loads (so its "loading" row shows) and when the start is reached (so that line shows).
   */
  pinTop: 'asked' | 'loading' | null;
}

const initialUi = (): UiState => ({
  focus: 'input',
  editor: ed.emptyEditor(),
  messageScroll: null,
  responseScroll: null,
  selected: null,
  help: { open: false, top: 0 },
  flash: null,
  lastOpen: undefined,
  jumpToNew: false,
  pinTop: null,
});

const FLASH_MS = 4000;
const QUIT_GRACE_MS = 1500;

export function ChatScreen({ state, actions, commands, onQuit, size }: ChatScreenProps): React.ReactElement {
  const { columns, rows } = useTerminalSize(size);
  const small = tooSmall(columns, rows);
  const layout = chatLayout(columns, rows);
  // UI state lives in a ref so that several keys in one input chunk each see the previous
  // one's result; `render` re-renders after each change.
  const ui = useRef<UiState>(initialUi());
  const [, render] = useReducer((n: number) => n + 1, 0);
  const flashTimer = useRef<NodeJS.Timeout | null>(null);
  const heldKeys = useRef<KeyEvent[]>([]);
  const latest = useRef({ state, actions, layout, commands, onQuit, small });
  latest.current = { state, actions, layout, commands, onQuit, small };

  useEffect(
    () => () => {
      if (flashTimer.current) clearTimeout(flashTimer.current);
    },
    [],
  );

  const entries = listEntries(state.conversations);
  // Follow the open conversation when it changes (Enter, /open, Alt+A, an arrival).
  if (state.openConversation !== ui.current.lastOpen) {
    ui.current = {
      ...ui.current,
      lastOpen: state.openConversation,
      messageScroll: null,
      selected: state.openConversation ?? ui.current.selected,
      jumpToNew: true,
      pinTop: null,
    };
  }
  if (ui.current.pinTop && state.openConversation) {
    const paging = state.paging[state.openConversation];
    const atTop = () => scrollHome(messageListFor(state, layout), ui.current.messageScroll);
    if (paging === 'loading') ui.current = { ...ui.current, pinTop: 'loading', messageScroll: atTop() };
    else if (paging === 'start') ui.current = { ...ui.current, pinTop: null, messageScroll: atTop() };
    // The page came (or did not): the view keeps its bottom message, the older ones above it.
    else if (ui.current.pinTop === 'loading') ui.current = { ...ui.current, pinTop: null };
  }
  // A conversation opened with unread messages starts at its `── new ──` line (once that message is here).
  if (ui.current.jumpToNew) {
    const marker = state.newMarker;
    const open = state.openConversation;
    if (!open || !marker || marker.conversation !== open) {
      ui.current = { ...ui.current, jumpToNew: false };
    } else {
      const index = firstNewIndex(state.messages[open] ?? EMPTY, marker.afterSeq);
      if (index !== -1) {
        const list = messageListFor(state, layout);
        ui.current = { ...ui.current, jumpToNew: false, messageScroll: scrollToItem(list, index) };
      }
    }
  }
  const selectedIndex = selectionIndex(entries, ui.current.selected, state.openConversation);

  const set = (patch: Partial<UiState>) => {
    ui.current = { ...ui.current, ...patch };
    render();
  };
  const flash = (text: string) => {
    if (flashTimer.current) clearTimeout(flashTimer.current);
    set({ flash: text });
    flashTimer.current = setTimeout(() => set({ flash: null }), FLASH_MS);
    flashTimer.current.unref?.();
  };
  const run = (promise: Promise<unknown>) => {
    promise.catch((error: unknown) => flash(error instanceof Error ? error.message : String(error)));
  };
  // Lines run one after another, in the order they were entered: a paste's lines never mix with
  // lines typed after it, and "/open bob" then "hi" sends "hi" to bob.
  const lineQueue = useRef<Promise<unknown>>(Promise.resolve());
  const runLine = (line: string): Promise<void> => {
    const done = lineQueue.current.then(() => latest.current.actions.submit(line));
    lineQueue.current = done.catch(() => undefined);
    return done;
  };

  const messageListNow = (): VirtualList<unknown> => {
    const { state: s, layout: l } = latest.current;
    return messageListFor(s, l) as VirtualList<unknown>;
  };
  const responseListNow = (): VirtualList<unknown> => {
    const { state: s, layout: l } = latest.current;
    return responseList(s.responses, l.columns - 2, l.responsesHeight - 2) as VirtualList<unknown>;
  };

  const scrollPane = (pane: 'messages' | 'responses', key: KeyEvent): boolean => {
    const list = pane === 'messages' ? messageListNow() : responseListNow();
    const field = pane === 'messages' ? 'messageScroll' : 'responseScroll';
    const current = ui.current[field];
    const page = Math.max(1, list.height - 1);
    let next: Scroll;
    switch (key.name) {
      case 'up':
        next = scrollBy(list, current, -1);
        break;
      case 'down':
        next = scrollBy(list, current, 1);
        break;
      case 'pageup':
        next = scrollBy(list, current, -page);
        break;
      case 'pagedown':
        next = scrollBy(list, current, page);
        break;
      case 'home':
        next = scrollHome(list, current);
        break;
      case 'end':
        next = null;
        break;
      default:
        return false;
    }
    set({ [field]: next, ...(pane === 'messages' ? { jumpToNew: false, pinTop: null } : {}) } as Partial<UiState>);
    // At the top of what is held: the older page comes by itself.
    const up = key.name === 'up' || key.name === 'pageup' || key.name === 'home';
    const open = latest.current.state.openConversation;
    const more = listExtras(latest.current.state).top === null;
    if (pane === 'messages' && up && open && more && !visibleRows(list, next).moreAbove) {
      ui.current = { ...ui.current, pinTop: 'asked' };
      run(latest.current.actions.loadOlder(open));
    }
    return true;
  };

  const openEntry = (index: number) => {
    const entry = listEntries(latest.current.state.conversations)[index];
    if (!entry) return;
    set({ selected: entry.with });
    run(latest.current.actions.open(entry.with));
  };

  const openNextUnread = () => {
    const { state: s } = latest.current;
    // The conversation the preview line shows first (what "(Alt+A)" there promises), then the list in turn.
    const preview = currentPreview(s);
    if (preview) {
      const index = listEntries(s.conversations).findIndex((e) => e.with === preview.arrival.conversation);
      if (index !== -1) {
        openEntry(index);
        return;
      }
    }
    const list = listEntries(s.conversations);
    const from = Math.max(
      -1,
      list.findIndex((e) => e.with === s.openConversation),
    );
    for (let step = 1; step <= list.length; step++) {
      const index = (from + step) % list.length;
      if (list[index].unread > 0 && list[index].with !== s.openConversation) {
        openEntry(index);
        return;
      }
    }
    flash('no unread messages');
  };

  const submit = (line: string) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (/^\/(quit|exit)$/i.test(trimmed)) {
      // The client logs out and sets quitRequested (after the lines before it, so a message typed
      // just before goes out); leave anyway if that takes too long.
      const { onQuit: quit } = latest.current;
      const timer = setTimeout(quit, QUIT_GRACE_MS);
      runLine(trimmed)
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          quit();
        });
      return;
    }
    if (/^\/(help|\?)$/i.test(trimmed)) {
      set({ help: { open: true, top: 0 } });
      return;
    }
    if (!trimmed.startsWith('/') || trimmed.startsWith('//')) set({ messageScroll: null });
    run(runLine(line));
  };

  const sendPaste = () => {
    const pasted = ed.pasteLines(ui.current.editor);
    set({ editor: { ...ed.emptyEditor(ui.current.editor.history) }, messageScroll: null });
    for (const line of pasted) run(runLine(line));
  };

  const focusInputWith = (text: string) => set({ focus: 'input', editor: ed.insert(ui.current.editor, text) });

  const handleInputKey = (key: KeyEvent) => {
    const e = ui.current.editor;
    const edit = (next: ed.EditorState) => set({ editor: next });
    if (key.ctrl && key.name === 'text') {
      const map: Record<string, (s: ed.EditorState) => ed.EditorState> = {
        a: ed.moveHome,
        e: ed.moveEnd,
        b: ed.moveLeft,
        f: ed.moveRight,
        u: ed.killToStart,
        k: ed.killToEnd,
        w: ed.deleteWordBack,
        d: ed.deleteForward,
        h: ed.backspace,
      };
      const f = map[key.text];
      if (f) edit(f(e));
      return;
    }
    if (key.meta && key.name === 'text') {
      if (key.text === 'b') edit(ed.wordLeft(e));
      else if (key.text === 'f') edit(ed.wordRight(e));
      return;
    }
    switch (key.name) {
      case 'text':
        edit(ed.insert(e, key.text));
        return;
      case 'return': {
        const { state: next, line } = ed.submitLine(e);
        if (line.trim() === '') return;
        edit(next);
        submit(line);
        return;
      }
      case 'backspace':
        edit(key.meta || key.ctrl ? ed.deleteWordBack(e) : ed.backspace(e));
        return;
      case 'delete':
        edit(ed.deleteForward(e));
        return;
      case 'left':
        edit(key.ctrl || key.meta ? ed.wordLeft(e) : ed.moveLeft(e));
        return;
      case 'right':
        edit(key.ctrl || key.meta ? ed.wordRight(e) : ed.moveRight(e));
        return;
      case 'home':
        edit(ed.moveHome(e));
        return;
      case 'end':
        // End at the end of the line (or Ctrl+End) jumps the messages to the newest.
        if (key.ctrl || e.cursor === e.value.length) set({ messageScroll: null });
        else edit(ed.moveEnd(e));
        return;
      case 'up':
        edit(ed.historyUp(e));
        return;
      case 'down':
        edit(ed.historyDown(e));
        return;
      case 'pageup':
      case 'pagedown':
        scrollPane('messages', key);
        return;
      default:
    }
  };

  const handleListKey = (key: KeyEvent) => {
    const { state: s } = latest.current;
    const list = listEntries(s.conversations);
    const count = list.length;
    const page = Math.max(1, latest.current.layout.topHeight - 3);
    const sel = selectionIndex(list, ui.current.selected, s.openConversation);
    const move = (to: number) => set({ selected: list[Math.max(0, Math.min(count - 1, to))]?.with ?? null });
    switch (key.name) {
      case 'up':
        return move(sel - 1);
      case 'down':
        return move(sel + 1);
      case 'pageup':
        return move(sel - page);
      case 'pagedown':
        return move(sel + page);
      case 'home':
        return move(0);
      case 'end':
        return move(count - 1);
      case 'return':
        openEntry(sel);
        set({ focus: 'input' });
        return;
      case 'text':
        if (!key.ctrl && !key.meta) focusInputWith(key.text);
        return;
      default:
    }
  };

  const onKey = (key: KeyEvent) => {
    if (key.ctrl && key.name === 'text' && key.text === 'c') {
      latest.current.onQuit();
      return;
    }
    if (latest.current.small) return;
    const u = ui.current;

    if (u.editor.paste) {
      // Enter, J and Esc decide; other keys typed meanwhile wait and run after the decision.
      if (key.name === 'return') sendPaste();
      else if (key.name === 'escape') set({ editor: ed.cancelPaste(u.editor) });
      else if (key.name === 'text' && !key.ctrl && !key.meta && key.text.toLowerCase() === 'j') set({ editor: ed.joinPaste(u.editor) });
      else {
        heldKeys.current.push(key);
        return;
      }
      const held = heldKeys.current.splice(0);
      for (const k of held) onKey(k);
      return;
    }

    if (key.name === 'f1') {
      set({ help: { open: !u.help.open, top: 0 } });
      return;
    }
    if (u.help.open) {
      const { layout: l, commands: cmds } = latest.current;
      const height = l.topHeight + l.responsesHeight;
      const maxTop = helpMaxTop(cmds, l.columns, height);
      const page = Math.max(1, height - 3);
      const scrollTo = (top: number) => set({ help: { open: true, top: Math.max(0, Math.min(maxTop, top)) } });
      switch (key.name) {
        case 'up':
          return scrollTo(u.help.top - 1);
        case 'down':
          return scrollTo(u.help.top + 1);
        case 'pageup':
          return scrollTo(u.help.top - page);
        case 'pagedown':
          return scrollTo(u.help.top + page);
        case 'home':
          return scrollTo(0);
        case 'end':
          return scrollTo(maxTop);
        case 'escape':
          set({ help: { open: false, top: 0 }, focus: 'input' });
          return;
        default:
          set({ help: { open: false, top: 0 } }); // any other key closes help and does its job
      }
    }

    if (key.name === 'paste') {
      set({ focus: 'input', editor: ed.paste(ui.current.editor, key.text) });
      return;
    }
    const jumps: Partial<Record<string, PaneId>> = {
      f2: 'conversations',
      f3: 'messages',
      f4: 'responses',
      f5: 'input',
    };
    const metaJumps: Partial<Record<string, PaneId>> = { '1': 'conversations', '2': 'messages', '3': 'responses', '4': 'input' };
    const jump = jumps[key.name] ?? (key.meta && key.name === 'text' ? metaJumps[key.text] : undefined);
    if (jump) {
      set({ focus: jump });
      return;
    }
    if (key.name === 'escape') {
      set({ focus: 'input', editor: { ...ui.current.editor, completion: null } });
      return;
    }
    if ((key.meta && key.name === 'text' && key.text === 'a') || (key.ctrl && key.name === 'text' && key.text === 'n')) {
      openNextUnread();
      return;
    }
    if (key.name === 'tab') {
      const focus = ui.current.focus;
      if (focus === 'input' && ui.current.editor.value !== '') {
        const next = ed.complete(ui.current.editor, (line) => latest.current.actions.complete(line), key.shift);
        if (next.value === ui.current.editor.value && !next.completion) flash('no completions');
        set({ editor: next });
        return;
      }
      const at = PANE_ORDER.indexOf(focus);
      const n = PANE_ORDER.length;
      set({ focus: PANE_ORDER[(at + (key.shift ? n - 1 : 1)) % n] });
      return;
    }

    switch (ui.current.focus) {
      case 'input':
        handleInputKey(key);
        return;
      case 'conversations':
        handleListKey(key);
        return;
      case 'messages':
      case 'responses':
        if (scrollPane(ui.current.focus, key)) return;
        if (key.name === 'text' && !key.ctrl && !key.meta) focusInputWith(key.text);
        else if (key.name === 'return') set({ focus: 'input' });
        return;
    }
  };

  useScreenKeys(onKey);

  if (small) return <TooSmall columns={columns} rows={rows} />;
  return <ChatPanes state={state} ui={ui.current} layout={layout} commands={commands} selected={selectedIndex} />;
}

function ChatPanes({
  state,
  ui,
  layout,
  commands,
  selected,
}: {
  state: ClientState;
  ui: UiState;
  layout: ChatLayout;
  commands: readonly CommandHelp[];
  selected: number;
}): React.ReactElement {
  const open = state.openConversation;
  const openView = state.conversations.find((c) => c.with === open);
  const online = open && open !== BROADCASTS ? openView?.online === true || state.online.includes(open) : undefined;
  const extras = listExtras(state);
  const preview = usePreview(state);
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      {ui.help.open ? (
        <HelpOverlay commands={commands} width={layout.columns} height={layout.topHeight + layout.responsesHeight} top={ui.help.top} />
      ) : (
        <>
          <Box flexDirection="row" width={layout.columns} height={layout.topHeight}>
            <ConversationList
              conversations={state.conversations}
              online={state.online}
              open={open}
              selected={selected}
              width={layout.listWidth}
              height={layout.topHeight}
              focused={ui.focus === 'conversations'}
            />
            <MessagePane
              conversation={open}
              messages={open ? (state.messages[open] ?? EMPTY) : EMPTY}
              self={state.user}
              width={layout.messagesWidth}
              height={layout.topHeight}
              focused={ui.focus === 'messages'}
              scroll={ui.messageScroll}
              online={online ?? undefined}
              newAfterSeq={extras.newAfterSeq}
              top={extras.top}
              loading={openView !== undefined && (openView.unread > 0 || openView.lastAt !== null)}
            />
          </Box>
          <ResponsesPane
            responses={state.responses}
            width={layout.columns}
            height={layout.responsesHeight}
            focused={ui.focus === 'responses'}
            scroll={ui.responseScroll}
          />
        </>
      )}
      <InputLine
        editor={ui.editor}
        target={open}
        width={layout.columns}
        focused={ui.focus === 'input' && !ui.help.open}
        placeholder="Esc: type here"
        preview={preview}
      />
      <StatusBar
        user={state.user}
        server={state.server}
        connection={state.connection}
        connectionDetail={state.connectionDetail}
        unread={state.unreadTotal}
        width={layout.columns}
        flash={ui.flash}
      />
    </Box>
  );
}

const EMPTY: never[] = [];

/** The open conversation's new line and first row (start reached, or an older page loading). */
function listExtras(state: ClientState): MessageListExtras {
  const open = state.openConversation;
  if (!open) return {};
  const marker = state.newMarker;
  const list = state.messages[open];
  const start = open !== BROADCASTS && list?.[0]?.seq === 1 ? 'start' : null;
  return {
    newAfterSeq: marker && marker.conversation === open ? marker.afterSeq : null,
    top: state.paging[open] ?? start,
  };
}

/** The messages pane's virtual list for a state and layout: what it draws and what keys scroll. */
function messageListFor(state: ClientState, layout: ChatLayout): VirtualList<unknown> {
  const open = state.openConversation;
  const messages = open ? (state.messages[open] ?? EMPTY) : EMPTY;
  return messageList(messages, layout.messagesWidth - 2, layout.topHeight - 2, state.user, open, listExtras(state)) as VirtualList<unknown>;
}

/** The preview line's content, the same object while it shows the same thing (the input line is memoised). */
function usePreview(state: ClientState): Preview | null {
  const last = useRef<Preview | null>(null);
  const next = currentPreview(state);
  const same = next && last.current && next.arrival === last.current.arrival && next.others === last.current.others;
  if (!same) last.current = next;
  return last.current;
}

/** Where the selection is: the selected name, else the open conversation, else the top. */
function selectionIndex(entries: readonly { with: string }[], selected: string | null, open: string | null): number {
  for (const name of [selected, open]) {
    const index = name === null ? -1 : entries.findIndex((e) => e.with === name);
    if (index !== -1) return index;
  }
  return 0;
}
