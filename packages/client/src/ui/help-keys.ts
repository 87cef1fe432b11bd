/** What a key does while the help (F1) is open: it scrolls, and any other action closes it. A plain function like the rest of the reducer. */
import { helpMaxTop } from './HelpOverlay.js';
import type { Action } from './keymap.js';
import type { Env, Step } from './ui-state.js';

export function helpAction(step: Step, action: Action, env: Env): void {
  const { layout, commands } = env;
  const height = layout.topHeight + layout.responsesHeight;
  const maxTop = helpMaxTop(commands, layout.columns, height);
  const page = Math.max(1, height - 3);
  const top = step.ui.help.top;
  const scrollTo = (to: number) => (step.ui = { ...step.ui, help: { open: true, top: Math.max(0, Math.min(maxTop, to)) } });
  switch (action) {
    case 'scroll.up':
      return void scrollTo(top - 1);
    case 'scroll.down':
      return void scrollTo(top + 1);
    case 'scroll.pageUp':
      return void scrollTo(top - page);
    case 'scroll.pageDown':
      return void scrollTo(top + page);
    case 'scroll.top':
      return void scrollTo(0);
    case 'scroll.bottom':
      return void scrollTo(maxTop);
    default:
      step.ui = { ...step.ui, help: { open: false, top: 0 }, focus: 'input' };
  }
}
