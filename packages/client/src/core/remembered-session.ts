/**
 * "Remember this device": the session token of a login the user chose to remember, kept in
 * `$XDG_STATE_HOME/tui-chat/sessions/<server>/<user>.json` (folder 0700, file 0600, replaced
 * whole), so the next start logs in with it instead of the password until the server lets the
 * token expire (idle expiry, and 30 days at most). `/logout` revokes the token and removes the file.
 * The file holds only the token, never the password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nameProblem, normalizeName } from '@tui-chat/protocol';
import { safe } from './outbox-file.js';

export interface RememberedLogin {
  user: string;
  token: string;
}

/** Tokens are 32 random bytes in base64url (43 characters); anything else in the file is not ours. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export class RememberedSessions {
  private readonly folder: string;

  /** `server`: the address as given (`host:port`, or the cluster's list). */
  constructor(dir: string, server: string) {
    this.folder = path.join(dir, 'sessions', safe(server));
  }

  private fileOf(user: string): string {
    return path.join(this.folder, `${safe(normalizeName(user))}.json`);
  }

  /** Keeps `token` for `user` (0600 in a 0700 folder; written beside, then renamed over). */
  save(login: RememberedLogin): void {
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.folder, 0o700);
    fs.chmodSync(path.dirname(this.folder), 0o700);
    const file = this.fileOf(login.user);
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ user: normalizeName(login.user), token: login.token }) + '\n', { mode: 0o600 });
    fs.renameSync(temp, file);
  }

  /**
   * The remembered login for `user`, or (no user given) the most recently saved one on this
   * server; null when there is none. A file that is not one of ours is removed.
   */
  load(user?: string): RememberedLogin | null {
    const files = user ? [this.fileOf(user)] : this.newestFirst();
    for (const file of files) {
      const login = read(file);
      if (login && (!user || login.user === normalizeName(user))) return login;
      if (login === undefined) fs.rmSync(file, { force: true });
    }
    return null;
  }

  /** Forgets `user`'s token on this device (logged out, or the server no longer takes it). */
  forget(user: string): void {
    fs.rmSync(this.fileOf(user), { force: true });
  }

  private newestFirst(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.folder).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const files = names.map((n) => path.join(this.folder, n));
    const mtime = (f: string) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return files.sort((a, b) => mtime(b) - mtime(a));
  }
}

/** The login in `file`; null when there is no file; undefined when it is damaged or not ours. */
function read(file: string): RememberedLogin | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const data = JSON.parse(text) as Partial<RememberedLogin>;
    if (typeof data.user !== 'string' || nameProblem(data.user) || typeof data.token !== 'string' || !TOKEN.test(data.token)) {
      return undefined;
    }
    return { user: data.user, token: data.token };
  } catch {
    return undefined;
  }
}
