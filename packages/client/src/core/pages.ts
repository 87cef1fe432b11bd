/** What the overlays page through (the people list, a search's hits), and the message a hit shows. */
import type { ChatMessage } from '@tui-chat/protocol';

/** The server's users whose names start with `prefix`, as far as they are loaded (users:list pages). */
export interface PeoplePages {
  prefix: string;
  users: { name: string; online: boolean; away?: string }[];
  /** More names follow the last one (ask for the next page). */
  more: boolean;
  loading: boolean;
  /** The last request failed: why. */
  error: string | null;
}

/** One search (/search): the query, where, and the hits loaded so far, newest first (search:run pages). */
export interface SearchResults {
  /** Increases with each /search, so the screen can tell a new one from the last. */
  serial: number;
  query: string;
  /** One conversation (a user or `#group`), or null for everything the user can read. */
  with: string | null;
  /** The words matched, as the server normalised them (searchTerms): what is highlighted. */
  terms: string[];
  messages: ChatMessage[];
  /** The `before` for the next older page; null when every hit is loaded. */
  before: number | null;
  loading: boolean;
  /** The last page failed: why. */
  error: string | null;
}

/** A message to show where it stands (a search hit's Enter): its conversation and seq. A new object each time. */
export interface Hit {
  conversation: string;
  seq: number;
}
