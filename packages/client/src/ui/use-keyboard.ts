/**
 * Keyboard input for the whole UI: reads Ink's raw input events (Ink's useInput hides F-keys and
 * Alt+digits), names them with parseKey, and assembles bracketed pastes into one 'paste' event.
 */
import { createContext, useContext, useEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { parseKey, type KeyEvent } from './keys.js';

export type KeyHandler = (key: KeyEvent) => void;

function pasteEvent(text: string): KeyEvent {
  return { name: 'paste', text, raw: text, ctrl: false, meta: false, shift: false };
}

/**
 * Splits one raw input event into keys. Ink's parser cuts escape sequences apart but leaves runs
 * of text whole, control keys included: "\x15/logout\r" is Ctrl+U, the text, then Enter.
 * Bracketed paste is on, so a run with line breaks is normally keys typed (or scripted) faster
 * than they are read; a run that ends in the middle of a line looks like a paste from a terminal
 * without bracketed paste, and is held for confirmation like one.
 */
export function textEvents(raw: string): KeyEvent[] {
  if (raw.length <= 1 || raw.startsWith('\x1b') || !/[\x00-\x1f\x7f]/.test(raw)) return [parseKey(raw)];
  if (/[\r\n]/.test(raw) && !/[\r\n]$/.test(raw)) return [pasteEvent(raw)];
  const events: KeyEvent[] = [];
  for (const part of raw.split(/(\r\n|[\x00-\x1f\x7f])/)) {
    if (part === '') continue;
    events.push(parseKey(part === '\r\n' ? '\r' : part));
  }
  return events;
}

export function useKeyboard(handler: KeyHandler, active = true): void {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;

  useEffect(() => {
    if (!active) return;
    if (isRawModeSupported) setRawMode(true);
    let pasting = false;
    let buffer = '';
    const onInput = (raw: string) => {
      if (raw === '\x1b[200~') {
        pasting = true;
        buffer = '';
        return;
      }
      if (pasting) {
        const end = raw.indexOf('\x1b[201~');
        if (end === -1) {
          buffer += raw;
          return;
        }
        buffer += raw.slice(0, end);
        pasting = false;
        handlerRef.current(pasteEvent(buffer));
        buffer = '';
        return;
      }
      for (const event of textEvents(raw)) handlerRef.current(event);
    };
    emitter.on('input', onInput);
    return () => {
      emitter.removeListener('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [active, emitter, setRawMode, isRawModeSupported]);
}

/**
 * Where the app's single keyboard subscription sends keys: the screen on show. A screen sets it
 * while rendering, so no key is lost between one screen going and the next one's effects.
 */
export const KeyTarget = createContext<{ current: KeyHandler | null } | null>(null);

/** A screen's keys: through the app's KeyTarget when there is one, else its own subscription. */
export function useScreenKeys(handler: KeyHandler): void {
  const target = useContext(KeyTarget);
  if (target) target.current = handler;
  useKeyboard(handler, target === null);
}
