/**
 * Keyboard input for the whole UI: reads Ink's raw input events (Ink's useInput hides F-keys and
 * Alt+digits), names them with parseKey, and assembles bracketed pastes into one 'paste' event.
 */
import { useEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { parseKey, type KeyEvent } from './keys.js';

export type KeyHandler = (key: KeyEvent) => void;

function pasteEvent(text: string): KeyEvent {
  return { name: 'paste', text, raw: text, ctrl: false, meta: false, shift: false };
}

/** Splits unbracketed text events: "hello\r" is text then Enter; several lines are a paste. */
export function textEvents(raw: string): KeyEvent[] {
  const breaks = raw.match(/\r\n|\r|\n/g)?.length ?? 0;
  if (breaks === 0 || raw.length === 1) return [parseKey(raw)];
  const trimmed = raw.replace(/(\r\n|\r|\n)$/, '');
  if (breaks === 1 && trimmed.length < raw.length && !trimmed.includes('\x1b')) {
    return trimmed === '' ? [parseKey('\r')] : [parseKey(trimmed), parseKey('\r')];
  }
  return [pasteEvent(raw)];
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
