/**
 * Keys typed while a login is on its way (TUI_CHAT_PASSWORD, or Enter on the form) are meant for
 * the chat screen that follows: they wait for it, in the order they were typed, and are dropped if
 * the login fails. The chat screen is drawn before React runs the effect that hands them over, so a
 * key typed in between must not overtake them (an Enter would reach an empty input line, and the
 * line typed ahead of it would then sit there unsent): it goes after them.
 */
import type { ClientState } from '../core/types.js';
import type { KeyEvent } from './keys.js';

/** Ctrl+C always goes through at once. */
export const isQuitKey = (key: KeyEvent): boolean => key.ctrl && key.name === 'text' && key.text === 'c';

export class HeldKeys {
  private held: KeyEvent[] = [];

  /** The keys to hand to the screen on show now for `key`: none (it waits), or the waiting ones and then it. */
  route(key: KeyEvent, shown: ClientState['screen'], now: Pick<ClientState, 'screen' | 'connection'>): KeyEvent[] {
    const waiting = shown === 'login' && (now.connection === 'connecting' || now.screen === 'chat');
    if (waiting && !isQuitKey(key)) {
      this.held.push(key);
      return [];
    }
    return shown === 'chat' ? [...this.release(), key] : [key];
  }

  /** The chat screen is on show: the keys that waited for it, in order. */
  release(): KeyEvent[] {
    return this.held.splice(0);
  }

  /** The login failed or was left: what waited for its chat screen is dropped. */
  drop(): void {
    this.held = [];
  }
}
