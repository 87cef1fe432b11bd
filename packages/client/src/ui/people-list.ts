/**
 * The people list (F6, core/people.ts): the server's users, narrowed by the start of a name typed
 * while it is open, a page at a time; Enter opens the conversation with the selected one. What a
 * key does to it, as a plain function like the rest of the reducer (chat-reducer.ts).
 */
import type { ClientState } from '../core/types.js';
import { actionFor, type Action } from './keymap.js';
import type { KeyEvent } from './keys.js';
import { listMove, overlayBody, overlayHeight, wantsMore } from './list-overlay.js';
import type { Env, Step } from './ui-state.js';

export interface Person {
  name: string;
  online: boolean;
  you: boolean;
  /** Away: their text ('' without one). */
  away?: string;
}

/** What a name may hold: what typing can add to the filter. */
const NAME_CHAR = /^[a-z0-9_.-]+$/;

/** The loaded people whose names start with `filter` (those loaded for a shorter prefix show while the rest comes), online as known now. */
export function peopleShown(state: ClientState, filter: string): Person[] {
  const pages = state.people;
  if (!pages || !filter.startsWith(pages.prefix)) return [];
  const online = new Set(state.online);
  return pages.users
    .filter((u) => u.name.startsWith(filter))
    .map((u) => {
      const you = u.name === state.user;
      // Known now (presence changes since the page came), else as the page said.
      const away = state.presenceKnown || you ? state.away[u.name] : u.away;
      const person: Person = { name: u.name, you, online: you || (state.presenceKnown ? online.has(u.name) : u.online) };
      return away === undefined ? person : { ...person, away };
    });
}

/** Rows of the list on screen (the overlay's height less its borders, its filter row and the blank one). */
export function peopleRows(env: Env): number {
  return overlayBody(overlayHeight(env));
}

/** F6 or Alt+P: opens the list (asking for the first page) or closes it. */
export function togglePeople(step: Step): void {
  if (step.ui.people.open) {
    step.ui = { ...step.ui, people: { ...step.ui.people, open: false } };
    return;
  }
  step.ui = {
    ...step.ui,
    help: { open: false, top: 0 },
    search: { ...step.ui.search, open: false },
    people: { open: true, filter: '', selected: 0 },
  };
  step.effects.push({ type: 'people', prefix: '', next: false });
}

/** A key while the list is open: true when it was the list's (else the list closed and the key does its own job). */
export function peopleKey(step: Step, key: KeyEvent, env: Env): boolean {
  const action = actionFor('people', key);
  if (action) {
    peopleAction(step, action, env);
    return true;
  }
  if (key.name === 'text' && !key.ctrl && !key.meta) {
    const typed = key.text.toLowerCase();
    if (!NAME_CHAR.test(typed)) {
      step.effects.push({ type: 'flash', text: 'names hold only a-z, 0-9, _ . and -' });
      return true;
    }
    narrow(step, step.ui.people.filter + typed);
    return true;
  }
  step.ui = { ...step.ui, people: { ...step.ui.people, open: false } };
  return false;
}

function narrow(step: Step, filter: string): void {
  step.ui = { ...step.ui, people: { open: true, filter, selected: 0 } };
  step.effects.push({ type: 'people', prefix: filter, next: false });
}

function peopleAction(step: Step, action: Action, env: Env): void {
  const { filter, selected } = step.ui.people;
  const shown = peopleShown(env.state, filter);
  const page = peopleRows(env);
  const at = listMove(action, selected, shown.length, page);
  if (at !== null) {
    step.ui = { ...step.ui, people: { ...step.ui.people, selected: at } };
    // Near the end of what is loaded: the next names come.
    if (env.state.people?.more && wantsMore(at, shown.length, page)) step.effects.push({ type: 'people', prefix: filter, next: true });
    return;
  }
  switch (action) {
    case 'char.deleteBack':
      if (filter !== '') narrow(step, filter.slice(0, -1));
      return;
    case 'list.open': {
      const person = shown[selected];
      if (!person) return;
      if (person.you) {
        step.effects.push({ type: 'flash', text: 'that is you; pick someone else' });
        return;
      }
      step.ui = { ...step.ui, people: { ...step.ui.people, open: false }, focus: 'input' };
      step.effects.push({ type: 'open', conversation: person.name });
      return;
    }
    default:
      step.ui = { ...step.ui, people: { ...step.ui.people, open: false } };
  }
}
