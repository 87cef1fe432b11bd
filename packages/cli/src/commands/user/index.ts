/** `tui-chat user ...`: account administration straight on the database file. */
import type { Command } from 'commander';
import { SCRYPT_ENV_HELP } from '../../options.js';
import type { Runner } from './common.js';
import { registerUserAdd } from './add.js';
import { registerUserImport } from './import.js';
import { registerUserList } from './list.js';
import { registerUserRemove } from './remove.js';

export function registerUser(program: Command, run: Runner): void {
  const user = program
    .command('user')
    .description('add, remove, list or import user accounts')
    .addHelpText(
      'after',
      `
These commands open the database directly; that is safe while servers run on it.

Environment:
  TUI_CHAT_DB        database file or postgres:// URL when --db is not given
  TUI_CHAT_CONFIG    the server's config file (as --config), whose db is used after those
  TUI_CHAT_PASSWORD  password for "user add" (else asked for on the terminal)
  ${SCRYPT_ENV_HELP}

Examples:
  tui-chat user add alice
  tui-chat user list
  tui-chat user import ./user_pass.txt`,
    );
  registerUserAdd(user, run);
  registerUserRemove(user, run);
  registerUserList(user, run);
  registerUserImport(user, run);
}
