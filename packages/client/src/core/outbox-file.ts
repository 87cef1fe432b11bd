/**
 * The outbox on disk: what a user typed that the server has not yet acknowledged survives `/quit`,
 * a crash or a closed terminal, and goes out on that user's next login to the same server, in
 * order, with the same client ids (so the server stores each once). Small JSON files under
 * `$XDG_STATE_HOME/tui-chat/outbox/<server>/` (else `~/.local/state/...`), folder 0700 and file
 * 0600, replaced whole (write, then rename) every time the queue changes: a message is on disk
 * before its line leaves the input box.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLIENT_ID_PATTERN, groupNameProblem, isGroup, MESSAGE_MAX_BYTES, nameProblem, utf8Bytes } from '@tui-chat/protocol';
import type { OutboxEntry } from './outbox.js';

/** `$XDG_STATE_HOME/tui-chat` (else `~/.local/state/tui-chat`). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'tui-chat');
}

/** A file name part from anything: letters, digits, `.`, `-` and `_` kept, the rest as `_XX`. */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Entries kept at most: a queue this long means something is wrong, and the file stays small. */
const MAX_ENTRIES = 1000;

/**
 * One client's file: `<user>.<pid>-<random>.json`, so two clients of one user on one machine never
 * overwrite each other's queue. A file whose process is gone is an orphan: the next client of that
 * user claims it (an atomic rename to a name of its own, so two cannot both take it), sends what
 * it holds, and removes it.
 */
export class OutboxFile {
  readonly path: string;
  private readonly folder: string;
  private readonly user: string;

  /** `server`: the address as given (`host:port`, or the cluster's list); `user`: the normalised name. */
  constructor(dir: string, server: string, user: string) {
    this.folder = path.join(dir, 'outbox', safe(server));
    this.user = safe(user);
    this.path = this.fileFor(process.pid);
    held.add(this.path);
  }

  /** This login is over: its file (if any is left) is an orphan for the next login to claim. */
  release(): void {
    held.delete(this.path);
  }

  private fileFor(pid: number): string {
    return path.join(this.folder, `${this.user}.${pid}-${crypto.randomBytes(4).toString('hex')}.json`);
  }

  /**
   * What earlier runs left unsent (oldest file first, each file's order kept), taken over from
   * their files; and a sentence for each file that could not be used (a damaged one is set aside).
   */
  claimOrphans(): { entries: OutboxEntry[]; problems: string[] } {
    const entries: OutboxEntry[] = [];
    const problems: string[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(this.folder);
    } catch {
      return { entries, problems }; // no folder: nothing was ever left
    }
    const mine = new RegExp(`^${this.user.replace(/\./g, '\\.')}\\.(\\d+)-[0-9a-f]+\\.json$`);
    const orphans = names
      .map((name) => ({ name, pid: Number(mine.exec(name)?.[1] ?? NaN) }))
      .filter((f) => Number.isInteger(f.pid) && !alive(f.pid, path.join(this.folder, f.name)))
      .map((f) => ({ ...f, mtime: mtimeOf(path.join(this.folder, f.name)) }))
      .sort((a, b) => a.mtime - b.mtime);
    for (const orphan of orphans) {
      const claimed = this.fileFor(process.pid);
      held.add(claimed); // ours while it is read: no other client of this process claims it again
      try {
        fs.renameSync(path.join(this.folder, orphan.name), claimed);
      } catch {
        held.delete(claimed);
        continue; // another client took it first
      }
      const parsed = parseEntries(readOrEmpty(claimed));
      if (parsed) {
        entries.push(...parsed);
        fs.rmSync(claimed, { force: true });
      } else {
        const aside = `${claimed}.damaged`;
        try {
          fs.renameSync(claimed, aside);
        } catch {
          // It stays under the claimed name, which no client reads as an orphan while this one runs.
        }
        problems.push(`A file of unsent messages was damaged; it was kept as ${aside} and nothing from it was sent.`);
      }
      held.delete(claimed);
    }
    return { entries, problems };
  }

  /** Replaces this client's file with `entries` (removes it when there are none). Returns a sentence when it failed. */
  write(entries: readonly OutboxEntry[]): string | null {
    try {
      if (entries.length === 0) {
        fs.rmSync(this.path, { force: true });
        return null;
      }
      fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
      const temp = `${this.path}.tmp`;
      fs.writeFileSync(temp, JSON.stringify({ version: 1, entries: entries.slice(-MAX_ENTRIES) }) + '\n', { mode: 0o600 });
      fs.renameSync(temp, this.path);
      return null;
    } catch (err) {
      return `Could not save the unsent messages in ${this.path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): they are kept only while tui-chat runs.`;
    }
  }
}

/** The files of this process's logins still going (a file of this process not here is an orphan). */
const held = new Set<string>();

/** Whether the client that wrote `file` still runs (a process of another user's counts as running). */
function alive(pid: number, file: string): boolean {
  if (pid === process.pid) return held.has(file);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const mtimeOf = (file: string): number => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

const readOrEmpty = (file: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** The entries of a file, or null when it is not one this client wrote (each field checked). */
export function parseEntries(text: string): OutboxEntry[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || (data as { version?: unknown }).version !== 1) return null;
  const list = (data as { entries?: unknown }).entries;
  if (!Array.isArray(list)) return null;
  const out: OutboxEntry[] = [];
  for (const raw of list.slice(0, MAX_ENTRIES)) {
    const entry = checkEntry(raw);
    if (!entry) return null;
    out.push(entry);
  }
  return out;
}

// A user, or a group (`#name`).
const isName = (v: unknown): v is string => typeof v === 'string' && (isGroup(v) ? groupNameProblem(v) === null : nameProblem(v) === null);

function checkEntry(raw: unknown): OutboxEntry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const e = raw as Record<string, unknown>;
  if (typeof e.clientId !== 'string' || !CLIENT_ID_PATTERN.test(e.clientId)) return null;
  if (typeof e.text !== 'string' || e.text.length === 0 || utf8Bytes(e.text) > MESSAGE_MAX_BYTES) return null;
  if (e.kind === 'direct' && isName(e.to)) return { kind: 'direct', clientId: e.clientId, to: e.to, text: e.text };
  if (e.kind === 'list' && Array.isArray(e.to) && e.to.length > 0 && e.to.every(isName)) {
    return { kind: 'list', clientId: e.clientId, to: e.to as string[], text: e.text };
  }
  if (e.kind === 'all') return { kind: 'all', clientId: e.clientId, text: e.text };
  return null;
}
