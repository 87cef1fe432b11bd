/**
 * What ChatClient knows of "remember this device" for the login under way: whether it keeps its
 * token, whether it was made with a remembered token, and whose it is. The files themselves are
 * RememberedSessions' (remembered-session.ts).
 */
import { normalizeName, type ChatError } from '@tui-chat/protocol';
import { RememberedSessions, type RememberedLogin } from './remembered-session.js';

/** Refusals that say nothing about the token (try again later): it is kept. */
const NOT_ABOUT_THE_TOKEN: readonly ChatError['code'][] = ['rate_limited', 'unavailable', 'internal'];

export class DeviceLogin {
  /** Where remembered tokens are kept for this server (null: no state folder). */
  private readonly sessions: RememberedSessions | null;
  /** The current login keeps its token on this device. */
  private remember = false;
  /** The current login was made with a remembered token (its refusal means the token is gone). */
  private resumed = false;
  /** Whose session this is (normalised), for the token's file; '' when none. */
  private user = '';

  constructor(stateDir: string | null | undefined, server: string) {
    this.sessions = stateDir ? new RememberedSessions(stateDir, server) : null;
  }

  /** The remembered login for `user` (or the last one saved), null when none or unreadable. */
  load(user?: string): RememberedLogin | null {
    try {
      return this.sessions?.load(user) ?? null;
    } catch {
      return null; // an unreadable state folder: the login screen, as without a remembered token
    }
  }

  /** A login starts: `remember` as asked (when there is somewhere to keep it), `token` when resumed. */
  begin(user: string, remember: boolean, token: string | null): void {
    this.remember = remember && this.sessions !== null;
    this.resumed = token !== null;
    this.user = normalizeName(user);
  }

  /** The session outlives /quit (the next start logs in with it). */
  get keepsSession(): boolean {
    return this.remember;
  }

  /** The session is ready: its token is kept if asked; a problem is said through `problem`. */
  ready(user: string, token: string, problem: (text: string) => void): void {
    if (!this.remember) return;
    try {
      this.sessions?.save({ user, token });
    } catch (err) {
      problem(`This device could not remember the session (${(err as Error).message}); the next start asks for the password.`);
    }
  }

  /**
   * The login was refused: a remembered token the server no longer takes (expired, revoked) is
   * forgotten, and the sentence to show instead of the server's is returned.
   */
  refused(error: ChatError | null): string | null {
    if (!this.resumed || !error || NOT_ABOUT_THE_TOKEN.includes(error.code)) return null;
    this.forget();
    return 'Your remembered session has ended; log in with your password.';
  }

  /** Logged out, or the token no longer works: nothing to remember for this user. */
  forget(): void {
    if (!this.user) return;
    try {
      this.sessions?.forget(this.user);
    } catch {
      // Nothing there to remove, or the folder is gone: nothing is remembered either way.
    }
  }
}
