/** The search results (/search): the matches newest first, the words found highlighted; see search-list.ts. */
import React from 'react';
import type { SearchResults } from '../core/types.js';
import { theme } from './colors.js';
import { ListOverlay } from './ListOverlay.js';
import { sanitizeInline } from './sanitize.js';
import { hitColumns, hitRow } from './search-rows.js';
import type { Row } from './segments.js';

export interface SearchOverlayProps {
  search: SearchResults;
  me: string;
  selected: number;
  width: number;
  height: number;
  /** Now, for "today" (tests fix it). */
  now?: number;
}

/** "12 matches for lunch in #team · more: scroll down". */
function header(search: SearchResults): Row {
  const n = search.messages.length;
  const where = search.with !== null ? [{ text: ' in ' }, { text: sanitizeInline(search.with), bold: true }] : [];
  const query = { text: sanitizeInline(search.query), bold: true, color: theme.match };
  if (search.loading && n === 0) return [{ text: 'Searching for ' }, query, ...where, { text: '…' }];
  const more = search.before !== null ? [{ text: ' · more: scroll down', color: theme.dim }] : [];
  return [{ text: `${n} ${n === 1 ? 'match' : 'matches'} for ` }, query, ...where, ...more];
}

function status(search: SearchResults): Row | null {
  if (search.error) return [{ text: search.error, color: theme.error }];
  if (search.loading) return [{ text: search.messages.length > 0 ? 'loading more…' : 'searching…', color: theme.dim }];
  if (search.messages.length > 0) return null;
  const where = search.with !== null ? ` in ${sanitizeInline(search.with)}` : '';
  return [{ text: `No messages${where} match ${sanitizeInline(search.query)}.`, color: theme.dim }];
}

export function SearchOverlay({ search, me, selected, width, height, now = Date.now() }: SearchOverlayProps): React.ReactElement {
  const inner = width - 2;
  // The selection mark takes the first cell.
  const columns = hitColumns(search.messages, me, inner - 1, now);
  return (
    <ListOverlay
      title="Search"
      hint="/search"
      width={width}
      height={height}
      header={header(search)}
      count={search.messages.length}
      selected={selected}
      rowOf={(i) => hitRow(search.messages[i]!, { me, terms: search.terms, columns, width: inner - 1, now })}
      status={status(search)}
      footer="Enter: show it in place · Esc: close"
    />
  );
}
