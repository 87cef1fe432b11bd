/**
 * The search results (/search, core/search.ts): the matches newest first, the next page asked for
 * as the selection nears the end of those loaded; Enter shows the selected one in its
 * conversation. What a key does to it, as a plain function like the rest of the reducer.
 */
import { conversationWith } from '@tui-chat/protocol';
import { actionFor } from './keymap.js';
import type { KeyEvent } from './keys.js';
import { listMove, overlayBody, overlayHeight, wantsMore } from './list-overlay.js';
import type { Env, Step } from './ui-state.js';

/** A key while the results are open: true when it was theirs (else they closed and the key does its own job). */
export function searchKey(step: Step, key: KeyEvent, env: Env): boolean {
  const action = actionFor('search', key);
  const close = () => (step.ui = { ...step.ui, search: { ...step.ui.search, open: false } });
  if (!action) {
    close();
    return false;
  }
  const results = env.state.search;
  const found = results?.messages ?? [];
  const page = overlayBody(overlayHeight(env));
  const at = listMove(action, step.ui.search.selected, found.length, page);
  if (at !== null) {
    step.ui = { ...step.ui, search: { ...step.ui.search, selected: at } };
    // Near the end of what is loaded: the next matches come (again, after a page that failed).
    if (results && results.before !== null && !results.loading && wantsMore(at, found.length, page)) {
      step.effects.push({ type: 'searchMore' });
    }
    return true;
  }
  if (action === 'list.open') {
    const hit = found[step.ui.search.selected];
    if (!hit) return true;
    close();
    step.ui = { ...step.ui, focus: 'messages' };
    step.effects.push({ type: 'showMessage', conversation: conversationWith(hit, env.state.user ?? ''), seq: hit.seq });
    return true;
  }
  close();
  return true;
}
