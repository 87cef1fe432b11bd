/** The people list (F6): the server's users, narrowed by the start of a name; see people-list.ts. */
import React from 'react';
import type { ClientState } from '../core/types.js';
import { theme } from './colors.js';
import { Pane } from './Pane.js';
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
    { text: selected ? '▸' : ' ', color: theme.selected, bold: true, inverse: selected },
    { text: p.online ? '●' : ' ', color: theme.online, inverse: selected },
    { text: ` ${p.name}`, bold: selected, inverse: selected },
    ...(p.you ? [{ text: ' (you)', color: theme.dim, inverse: selected }] : []),
    ...(p.away !== undefined ? [{ text: `  ${awayLabel(sanitizeInline(p.away))}`, color: theme.notice, inverse: selected }] : []),
  ];
}

export function PeopleOverlay({ state, shown, filter, selected, width, height }: PeopleOverlayProps): React.ReactElement {
  const pages = state.people;
  const body = Math.max(1, height - 4);
  const top = Math.max(0, Math.min(selected - body + 1, shown.length - body));
  const rows: Row[] = [
    filter
      ? [{ text: 'Names starting with ' }, { text: filter, bold: true }, { text: '▏', color: theme.selected }]
      : [{ text: 'Type the start of a name to narrow the list.', color: theme.dim }],
    [],
    ...shown.slice(top, top + body).map((p, i) => personRow(p, top + i === selected)),
  ];
  if (pages?.error) rows.push([{ text: pages.error, color: theme.error }]);
  else if (!pages || pages.loading) rows.push([{ text: 'loading…', color: theme.dim }]);
  else if (shown.length === 0) rows.push([{ text: filter ? `Nobody's name starts with "${filter}".` : 'Nobody yet.', color: theme.dim }]);
  const more = pages?.more && !pages.loading ? '↓ more · ' : '';
  return <Pane title="People" hint="F6" width={width} height={height} focused rows={rows} footer={`${more}Enter: open · Esc: close`} />;
}
