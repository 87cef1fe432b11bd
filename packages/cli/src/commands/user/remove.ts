/** `tui-chat user remove NAME`: deletes an account; messages stay with the other party. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { checkedName, dbOption, withStore, type DbFlags, type Runner } from './common.js';

export function registerUserRemove(user: Command, run: Runner): void {
  dbOption(user.command('remove').alias('rm').argument('<name>', 'the user to remove').description('remove a user account'))
    .addHelpText(
      'after',
      `
Removes the account, its sessions, blocks and read markers. Messages it exchanged stay with the
other party. Exit codes: 0 removed, 1 no such user, 2 bad name or database.

Example:
  tui-chat user remove alice`,
    )
    .action((raw: string, flags: DbFlags) => run(() => removeUser(raw, flags)));
}

async function removeUser(raw: string, flags: DbFlags): Promise<number> {
  const name = checkedName(raw);
  return withStore(flags, false, async (store, file) => {
    if (!store || !(await store.removeUser(name))) throw new CliError(`there is no user ${name} in ${file}.`, 1);
    process.stdout.write(`removed user ${name}\n`);
    return 0;
  });
}
