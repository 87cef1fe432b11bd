/** `tui-chat user add NAME`: creates an account (even when registration is closed). */
import type { Command } from 'commander';
import { passwordProblem } from '@tui-chat/protocol';
import { CliError, lowerFirst } from '../../errors.js';
import { needsServer } from '../../server-package.js';
import { scryptCostFromEnv } from '../../options.js';
import { readNewPassword } from '../../password-prompt.js';
import { checkedName, dbOption, withStore, type DbFlags, type Runner } from './common.js';

export function registerUserAdd(user: Command, run: Runner): void {
  dbOption(user.command('add').argument('<name>', 'the new user (1-32 of a-z 0-9 _ . -)').description('add a user account'))
    .addHelpText(
      'after',
      `
The password comes from TUI_CHAT_PASSWORD when set, else it is asked for (hidden) on the terminal.
Exit codes: 0 added, 1 the name exists already, 2 bad name, password or database.

Examples:
  tui-chat user add alice
  TUI_CHAT_PASSWORD='correct horse' tui-chat user add bob --db ./chat.db`,
    )
    .action((raw: string, flags: DbFlags) => run(() => addUser(raw, flags)));
}

async function addUser(raw: string, flags: DbFlags): Promise<number> {
  const name = checkedName(raw);
  const cost = scryptCostFromEnv();
  const { hashPassword, refuseNewName } = await needsServer('user', () => import('@tui-chat/server'));
  return withStore(flags, true, async (store) => {
    if (await store!.getUser(name)) throw new CliError(`the user ${name} already exists.`, 1);
    // The rules for new names, as for a registration; a reserved name is the admin's to give.
    const refusal = await refuseNewName(store!, name, { reservedAllowed: true });
    if (refusal) throw new CliError(`${lowerFirst(refusal.message.replace(/\.$/, ''))}.`, refusal.code === 'name_taken' ? 1 : 2);
    const password = await readNewPassword(name);
    const problem = passwordProblem(password);
    if (problem) throw new CliError(`password refused: ${lowerFirst(problem)}`);
    const hash = await hashPassword(password, cost);
    if (!(await store!.createUser(name, hash, Date.now()))) throw new CliError(`the user ${name} already exists.`, 1);
    process.stdout.write(`added user ${name}\n`);
    return 0;
  });
}
