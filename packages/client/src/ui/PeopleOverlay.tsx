/** The people list (F6): the server's users, narrowed by the start of a name; see people-list.ts. */
import React from 'react';
import type { ClientState } from '../core/types.js';
import { theme } from './colors.js';
import { ListOverlay } from './ListOverlay.js';
import type { Person } from './people-list.js';
import type { Row } from './segments.js';
import { sanitizeInline } from './sanitize.js';
import { awayLabel } from '../core/away.js';

export interface PeopleOverlayProps {
  state: ClientState;
  shown: readonly Person[];
  filter: string;
  selected: number;
  width: number;
  height: number;
}

function personRow(p: Person, selected: boolean): Row {
  return [
    { text: p.online ? '●' : ' ', color: theme.online },
    { text: ` ${p.name}`, bold: selected },
    ...(p.you ? [{ text: ' (you)', color: theme.dim }] : []),
    ...(p.away !== undefined ? [{ text: `  ${awayLabel(sanitizeInline(p.away))}`, color: theme.notice }] : []),
  ];
}

export function PeopleOverlay({ state, shown, filter, selected, width, height }: PeopleOverlayProps): React.ReactElement {
  const pages = state.people;
  const header: Row = filter
    ? [{ text: 'Names starting with ' }, { text: filter, bold: true }, { text: '▏', color: theme.selected }]
    : [{ text: 'Type the start of a name to narrow the list.', color: theme.dim }];
  let status: Row | null = null;
  if (pages?.error) status = [{ text: pages.error, color: theme.error }];
  else if (!pages || pages.loading) status = [{ text: 'loading…', color: theme.dim }];
  else if (shown.length === 0) status = [{ text: filter ? `Nobody's name starts with "${filter}".` : 'Nobody yet.', color: theme.dim }];
  const more = pages?.more && !pages.loading ? '↓ more · ' : '';
  return (
    <ListOverlay
      title="People"
      hint="F6"
      width={width}
      height={height}
      header={header}
      count={shown.length}
      selected={selected}
      rowOf={(i) => personRow(shown[i]!, i === selected)}
      status={status}
      footer={`${more}Enter: open · Esc: close`}
    />
  );
}
