/**
 * The Node flags the client's process runs with. One today: V8's young generation as Node 20 has
 * it. From Node 22 on, V8 lets each of its two semi-spaces grow to 32 MB, or 64 MB on a machine
 * with enough memory (Node 20: 16 MB), when many objects survive a scavenge, as they do while
 * frames are drawn for arriving messages, and keeps them committed afterwards, idle or not. The
 * client bench showed it: the same run and the same full GCs leave a 29 MB JS heap in 166 MB of
 * RSS on Node 24 (53 MB of it the young generation) and in 134 MB on Node 20 (31 MB). The flag
 * must be there when the process starts (V8 sizes the space once: `v8.setFlagsFromString` later
 * changes nothing), so `tui-chat connect` re-executes itself with it where Node can replace the
 * process in place (`process.execve`, Node 22.15 and 23.11 on; the same pid, terminal and
 * signals, about 0.03 s). Node 20, which has no execve, needs no flag.
 *
 * No imports: bin/tui-chat.js loads this before anything else.
 */
export const CLIENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

/** The client's flags that neither the command line nor NODE_OPTIONS gives already (a user's own choice wins). */
export function missingClientFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((arg) => arg.replace(/=.*$/, '').replace(/_/g, '-'));
  return CLIENT_NODE_FLAGS.filter((flag) => !given.includes(flag.replace(/=.*$/, '')));
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * For `tui-chat connect`: replaces this process with one that has the client's flags, when some
 * are missing and Node can (returns otherwise, and when the replacement fails: the flags only
 * save memory).
 */
export function relaunchForClient(argv: readonly string[] = process.argv): void {
  if (argv[2] !== 'connect') return;
  const execve = (process as { execve?: Execve }).execve;
  if (typeof execve !== 'function') return;
  const missing = missingClientFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length === 0) return;
  try {
    execve.call(process, process.execPath, [process.execPath, ...process.execArgv, ...missing, ...argv.slice(1)], process.env);
  } catch {
    // Not here (another platform, an odd install): run as we are.
  }
}
