/** The reducer's moves over lists: scrolling a pane (older pages at the top), the conversation list, the next unread. */
import { currentPreview } from '../core/arrivals.js';
import { listEntries } from './ConversationList.js';
import type { Action } from './keymap.js';
import { listMove } from './list-overlay.js';
import { selectionIndex, type Env, type Step } from './ui-state.js';
import { scrollBy, scrollHome, visibleRows } from './virtual-list.js';

export const SCROLLS: Partial<Record<Action, 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom'>> = {
  'scroll.up': 'up',
  'scroll.down': 'down',
  'scroll.pageUp': 'pageUp',
  'scroll.pageDown': 'pageDown',
  'scroll.top': 'top',
  'scroll.bottom': 'bottom',
  'messages.pageUp': 'pageUp',
  'messages.pageDown': 'pageDown',
};

export function scrollPane(step: Step, pane: 'messages' | 'responses', how: NonNullable<(typeof SCROLLS)[Action]>, env: Env): void {
  const list = pane === 'messages' ? env.messageList() : env.responseList();
  const current = pane === 'messages' ? step.ui.messageScroll : step.ui.responseScroll;
  const page = Math.max(1, list.height - 1);
  const next =
    how === 'up'
      ? scrollBy(list, current, -1)
      : how === 'down'
        ? scrollBy(list, current, 1)
        : how === 'pageUp'
          ? scrollBy(list, current, -page)
          : how === 'pageDown'
            ? scrollBy(list, current, page)
            : how === 'top'
              ? scrollHome(list, current)
              : null;
  if (pane === 'responses') {
    step.ui = { ...step.ui, responseScroll: next };
    return;
  }
  if (how === 'bottom') return toNewest(step, env);
  step.ui = { ...step.ui, messageScroll: next, jumpToNew: false, pinTop: null };
  // At the top of what is held: the older page comes by itself.
  const upwards = how === 'up' || how === 'pageUp' || how === 'top';
  const open = env.state.openConversation;
  if (upwards && open && env.olderMayExist() && !visibleRows(list, next).moreAbove) {
    step.ui = { ...step.ui, pinTop: 'asked' };
    step.effects.push({ type: 'loadOlder', conversation: open });
  }
  // At the bottom of a window away from the newest (a search hit's): the page after it comes,
  // below the view, which stays where it is.
  const downwards = how === 'down' || how === 'pageDown';
  if (downwards && open && env.state.newer[open] === 'more' && !visibleRows(list, next).moreBelow) {
    const last = list.items.at(-1);
    const key = last === undefined ? null : list.keyOf(last);
    if (key !== null) step.ui = { ...step.ui, messageScroll: { key, below: 0, seenKey: key }, pinBottom: 'asked' };
    step.effects.push({ type: 'loadNewer', conversation: open });
  }
}

/** End, Ctrl+End: the newest messages; a window away from them (a search hit's) gives way to them (the conversation opens again). */
export function toNewest(step: Step, env: Env): void {
  step.ui = { ...step.ui, messageScroll: null, jumpToNew: false, pinTop: null, pinBottom: null };
  const open = env.state.openConversation;
  if (open && env.state.newer[open] !== undefined) step.effects.push({ type: 'open', conversation: open });
}

export function listAction(step: Step, action: Action, env: Env): void {
  const list = listEntries(env.state.conversations);
  const count = list.length;
  const page = Math.max(1, env.layout.topHeight - 3);
  const sel = selectionIndex(list, step.ui.selected, env.state.openConversation);
  const to = listMove(action, sel, count, page);
  if (to !== null) {
    step.ui = { ...step.ui, selected: list[to]?.with ?? null };
    return;
  }
  const entry = list[sel];
  if (!entry) return;
  step.ui = { ...step.ui, selected: entry.with, focus: 'input' };
  step.effects.push({ type: 'open', conversation: entry.with });
}

export function openNextUnread(step: Step, env: Env): void {
  const s = env.state;
  const list = listEntries(s.conversations);
  const open = (name: string) => {
    step.ui = { ...step.ui, selected: name };
    step.effects.push({ type: 'open', conversation: name });
  };
  // What the preview line shows first (what its "(Alt+A)" promises), then the list in turn.
  const preview = currentPreview(s);
  if (preview && list.some((e) => e.with === preview.arrival.conversation)) return open(preview.arrival.conversation);
  const from = Math.max(
    -1,
    list.findIndex((e) => e.with === s.openConversation),
  );
  for (let i = 1; i <= list.length; i++) {
    const entry = list[(from + i) % list.length]!;
    if (entry.unread > 0 && entry.with !== s.openConversation) return open(entry.with);
  }
  step.effects.push({ type: 'flash', text: 'no unread messages' });
}
