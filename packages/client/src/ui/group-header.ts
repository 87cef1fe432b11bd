/**
 * What a group's header says after its name: how many members, how many of them online, and who
 * of those is away ("3 members, 2 online · away: carol"). Nothing until its members are known;
 * only the count while presence is unknown (the connection is down).
 */
import type { ClientState } from '../core/types.js';
import { sanitizeInline } from './sanitize.js';

/** Away names shown at most; more are counted. */
const AWAY_SHOWN = 3;

export function groupHeader(state: ClientState, group: string): string | undefined {
  const members = state.groupMembers?.[group];
  if (!members) return undefined;
  const count = `${members.length} member${members.length === 1 ? '' : 's'}`;
  if (!state.presenceKnown) return count;
  const online = members.filter((m) => m === state.user || state.online.includes(m));
  const away = online.filter((m) => state.away[m] !== undefined).map(sanitizeInline);
  const shown = away.length > AWAY_SHOWN ? [...away.slice(0, AWAY_SHOWN), `${away.length - AWAY_SHOWN} more`] : away;
  return `${count}, ${online.length} online${shown.length > 0 ? ` · away: ${shown.join(', ')}` : ''}`;
}
