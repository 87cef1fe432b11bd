/**
 * Everything one login owns, in one place: its outbox, read markers, gap checks, the catch-up
 * and conversation-list bookkeeping, and its timers. A new login makes a new Session; logging
 * out, a refused or ended session, or closing the client drops the old one as a whole (its
 * outbox cleared, its timers stopped), so nothing of one user's session leaks into the next.
 * Reached through the ClientContext.
 */
import { NameCoverage } from './name-lookup.js';
import { Outbox } from './outbox.js';
import type { OutboxFile } from './outbox-file.js';
import { ReadMarkers } from './read-markers.js';

export class Session {
  readonly outbox: Outbox;
  readonly reads = new ReadMarkers();
  /** Conversations with a gap check scheduled (gaps.ts). */
  readonly gapChecks = new Set<string>();
  /** Presence updates read while a whoelse answer is on its way, so that answer cannot undo them (sync.ts); null when none is out. */
  presenceDuringWhoelse: Map<string, boolean> | null = null;
  /** A catch-up after 'sync:needed' is scheduled (events/sync-needed.ts). */
  syncScheduled = false;
  /** Increases with each open(): a slow answer to an earlier one never switches the view back. */
  openSerial = 0;
  /** Increases with each people list request: only the latest one's answer is shown (people.ts). */
  peopleSerial = 0;
  /** Which user names this login holds all of, for Tab completion (name-lookup.ts). */
  readonly names = new NameCoverage();
  /** Increases with each /search and each page of it: only the latest one's answer is kept (search.ts). */
  searchSerial = 0;
  /** The conversation (wire id) told 'typing' last, while the draft is for it; and when (typing.ts). */
  typingTo: string | null = null;
  typingSentAt = 0;
  /** The input line as last reported. */
  typingDraft = '';
  /** The conversation list is being reloaded; `refreshAgain`: once more after it. */
  refreshing: Promise<void> | null = null;
  refreshAgain = false;
  /** The server of the last 'session:ready', to tell a move to another node from a reconnect. */
  readyOn: string | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private dropped = false;

  /** Set once saving the outbox failed, so that is said once. */
  private saveFailed = false;

  /**
   * `file`: where this login's outbox is kept on disk (null: only in memory); `say` hears when
   * saving it failed.
   */
  constructor(
    sendAttempts: number,
    readonly file: OutboxFile | null = null,
    say: (problem: string) => void = () => undefined,
  ) {
    this.outbox = new Outbox(
      sendAttempts,
      file &&
        ((entries) => {
          const problem = file.write(entries);
          if (problem && !this.saveFailed) say(problem);
          this.saveFailed = problem !== null;
        }),
    );
  }

  get alive(): boolean {
    return !this.dropped;
  }

  /** Runs `fn` after `ms` unless the session is dropped first (the timer never keeps the process alive). */
  later(ms: number, fn: () => void): void {
    if (this.dropped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.dropped) fn();
    }, ms);
    timer.unref?.();
    this.timers.add(timer);
  }

  drop(): void {
    this.dropped = true;
    this.file?.release();
    this.outbox.clear();
    this.outbox.cancelWait();
    this.reads.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.gapChecks.clear();
    this.openSerial++;
  }
}
