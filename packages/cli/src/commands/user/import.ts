/** `tui-chat user import FILE`: accounts from the old program's `user_pass.txt` (`name password` per line). */
import fs from 'node:fs';
import type { Command } from 'commander';
import { nameProblem, nameSkeleton, normalizeName, passwordProblem } from '@tui-chat/protocol';
import { CliError, errnoCode, lowerFirst } from '../../errors.js';
import { needsServer } from '../../server-package.js';
import { scryptCostFromEnv } from '../../options.js';
import { dbOption, withStore, type DbFlags, type Runner } from './common.js';

export function registerUserImport(user: Command, run: Runner): void {
  dbOption(
    user
      .command('import')
      .argument('<file>', 'a user_pass.txt: "name password" per line')
      .description('import users from a user_pass.txt file'),
  )
    .addHelpText(
      'after',
      `
Blank lines and lines starting with # are skipped. Each bad line is reported on stderr as
"line N: reason" (passwords are never echoed) and the rest is imported; names that exist already
are reported and left as they are. Exit code 0 whenever the file could be read, 2 otherwise.

Example:
  tui-chat user import ./user_pass.txt --db ./chat.db`,
    )
    .action((file: string, flags: DbFlags) => run(() => importUsers(file, flags)));
}

interface Entry {
  line: number;
  name: string;
  password: string;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason =
      { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a folder, not a file' }[errnoCode(err) ?? ''] ??
      (err instanceof Error ? err.message : String(err));
    throw new CliError(`cannot read ${file}: ${reason}.`);
  }
}

/** Splits the file into entries worth trying and `line N: reason` reports for the rest. */
export function parseUserPass(text: string): { entries: Entry[]; problems: { line: number; reason: string }[] } {
  const entries: Entry[] = [];
  const problems: { line: number; reason: string }[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    const [rawName, password] = fields as [string, string | undefined];
    const bad = (reason: string) => problems.push({ line, reason });
    const nameIssue = nameProblem(rawName);
    if (nameIssue) return bad(`bad user name ${JSON.stringify(rawName)}: ${lowerFirst(nameIssue)}`);
    const name = normalizeName(rawName);
    if (password === undefined) return bad(`${name} has no password after the name`);
    if (fields.length > 2) return bad(`expected "name password", found ${fields.length} words`);
    const pwIssue = passwordProblem(password);
    if (pwIssue) return bad(`password of ${name} refused: ${lowerFirst(pwIssue)}`);
    const first = seen.get(name);
    if (first !== undefined) return bad(`${name} already appears on line ${first}`);
    seen.set(name, line);
    entries.push({ line, name, password });
  });
  return { entries, problems };
}

/** Runs `work` over `items`, at most `limit` at a time: scrypt at full cost takes 128 MiB each. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function importUsers(file: string, flags: DbFlags): Promise<number> {
  const text = readText(file);
  const cost = scryptCostFromEnv();
  const { entries, problems } = parseUserPass(text);
  const { hashPassword, refuseNewName } = await needsServer('user', () => import('@tui-chat/server'));
  return withStore(flags, true, async (store) => {
    const existing = new Set(await store!.existingUsers(entries.map((e) => e.name)));
    for (const e of entries) if (existing.has(e.name)) problems.push({ line: e.line, reason: `${e.name} already exists; left as it is` });
    // The rules for new names, as for a registration (reserved names are the admin's to give),
    // and no look-alikes of each other within the file either.
    const fresh: Entry[] = [];
    const taken = new Map<string, Entry>();
    for (const e of entries.filter((x) => !existing.has(x.name))) {
      const refusal = await refuseNewName(store!, e.name, { reservedAllowed: true });
      const twin = taken.get(nameSkeleton(e.name));
      if (refusal) problems.push({ line: e.line, reason: lowerFirst(refusal.message.replace(/\.$/, '')) });
      else if (twin)
        problems.push({ line: e.line, reason: `the name ${e.name} looks too much like ${twin.name} (line ${twin.line}); choose another` });
      else {
        fresh.push(e);
        taken.set(nameSkeleton(e.name), e);
      }
    }
    const hashes = await pool(fresh, 2, (e) => hashPassword(e.password, cost));
    let imported = 0;
    for (const [i, e] of fresh.entries()) {
      // The running server may have registered the name since the check above.
      if (await store!.createUser(e.name, hashes[i]!, Date.now())) imported++;
      else problems.push({ line: e.line, reason: `${e.name} already exists; left as it is` });
    }
    for (const p of problems.sort((a, b) => a.line - b.line)) process.stderr.write(`line ${p.line}: ${p.reason}\n`);
    const skipped = problems.length;
    process.stdout.write(`imported ${imported} user${imported === 1 ? '' : 's'}, skipped ${skipped}\n`);
    return 0;
  });
}
