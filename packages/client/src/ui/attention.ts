/**
 * Getting a person's attention when they are not watching the terminal: the bell, the unread count
 * in the terminal's title, and (opt-in) desktop notifications through the terminal's OSC 9 or
 * OSC 777 sequences. Driven by the client's state: each new arrival is looked at once. Text from
 * the network reaches a title or a notification only sanitised and stripped of every control
 * character, so it can never end the sequence early or start another.
 */
import type { Arrival, ClientState } from '../core/types.js';
import type { NotifyMode } from '../settings/settings.js';
import { sanitizeInline } from './sanitize.js';

export const BELL = '\x07';
/** At most one ring in this long, and one notification per conversation. */
export const BELL_INTERVAL_MS = 5000;

/**
 * Worth a ring: a private message or a list broadcast (or anything naming you), unless it landed
 * in the conversation already on screen. One that opened its conversation (nothing was open) was
 * not on screen before, so it rings.
 */
export function wantsAttention(arrival: Arrival): boolean {
  const personal = arrival.kind !== 'broadcast-all' || arrival.mention;
  return personal && (!arrival.inOpen || arrival.opened);
}

/** "(3) tui-chat — alice"; before login "tui-chat — host:port". */
export function titleFor(state: ClientState): string {
  if (state.screen !== 'chat' || !state.user) return `tui-chat — ${state.server}`;
  return `${state.unreadTotal > 0 ? `(${state.unreadTotal}) ` : ''}tui-chat — ${state.user}`;
}

/** Text safe inside an OSC string: shown controls kept visible, every raw control removed, bounded. */
export function oscText(text: string, max = 200): string {
  const one = sanitizeInline(text.replace(/\s+/g, ' ').trim());

  const clean = one.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
}

export function titleSequence(title: string): string {
  return `\x1b]2;${oscText(title, 120)}\x07`;
}

/** Inside tmux an OSC meant for the outer terminal goes through DCS passthrough (tmux's allow-passthrough on). */
export function throughTmux(sequence: string): string {
  return `\x1bPtmux;${sequence.replace(/\x1b/g, '\x1b\x1b')}\x1b\\`;
}

export function notificationSequence(mode: NotifyMode, arrival: Arrival, inTmux: boolean): string {
  if (mode === 'off') return '';
  const where = arrival.conversation === '(broadcasts)' || arrival.kind !== 'direct' ? ' (broadcast)' : '';
  const title = `${oscText(arrival.from, 40)}${where}`;
  const body = oscText(arrival.text);
  const sequence =
    mode === 'osc9'
      ? `\x1b]9;tui-chat: ${title}: ${body}\x07`
      : // OSC 777's fields are separated by ';': none may hold one.
        `\x1b]777;notify;${title.replace(/;/g, ',')};${body}\x07`;
  return inTmux ? throughTmux(sequence) : sequence;
}

export interface AttentionOptions {
  now?: () => number;
  /** Running inside tmux (TMUX set): notifications go through its passthrough. */
  inTmux?: boolean;
}

/** Saves the terminal's own title (xterm's title stack; tmux 3.3 keeps one too) and gives it back. */
export const PUSH_TITLE = '\x1b[22;0t';
export const POP_TITLE = '\x1b[23;0t';

/**
 * Follows the client's state and writes what the terminal needs: the bell and a notification for
 * each new arrival that wants attention, the title when it changes. The terminal's own title is
 * saved by terminalModes and given back on exit; turning `title` off gives it back at once.
 */
export function createAttention(write: (data: string) => void, options: AttentionOptions = {}) {
  const now = options.now ?? Date.now;
  const inTmux = options.inTmux ?? false;
  let seen = 0;
  let lastRing = -Infinity;
  const lastNotice = new Map<string, number>();
  let title: string | null = null;
  return {
    update(state: ClientState): void {
      const { settings } = state;
      let out = '';
      const arrival = state.lastArrival;
      if (arrival && arrival.id !== seen) {
        // A new session numbers its arrivals from 1 again.
        const fresh = arrival.id > seen || arrival.id === 1;
        seen = arrival.id;
        if (fresh && wantsAttention(arrival)) {
          const t = now();
          if (settings.bell && t - lastRing >= BELL_INTERVAL_MS) {
            out += BELL;
            lastRing = t;
          }
          const noticed = lastNotice.get(arrival.conversation) ?? -Infinity;
          if (settings.notify !== 'off' && t - noticed >= BELL_INTERVAL_MS) {
            out += notificationSequence(settings.notify, arrival, inTmux);
            if (lastNotice.size > 256) lastNotice.clear();
            lastNotice.set(arrival.conversation, t);
          }
        }
      }
      if (settings.title) {
        const next = titleFor(state);
        if (next !== title) {
          out += titleSequence(next);
          title = next;
        }
      } else if (title !== null) {
        // Turned off: the terminal's own title back, saved again for the exit.
        out += POP_TITLE + PUSH_TITLE;
        title = null;
      }
      if (out) write(out);
    },
  };
}
