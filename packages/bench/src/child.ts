/**
 * The child side of the harness's processes (load generators, servers, the UI): answering the
 * parent's calls over the IPC channel, and telling it what happened.
 */

export type Handlers = Record<string, (args: never) => unknown>;

/**
 * In a child: answers the parent's calls with `handlers`; `exit` ends the process after
 * `onExit`. The child also ends when the parent goes away (the channel closes).
 */
export function serve(handlers: Handlers, onExit: () => Promise<void> | void = () => undefined): void {
  if (!process.send) throw new Error('this script runs as a child of the bench harness');
  let exiting = false;
  const exit = async (code: number) => {
    if (exiting) return;
    exiting = true;
    try {
      await onExit();
    } finally {
      process.exit(code);
    }
  };
  process.on('disconnect', () => void exit(0));
  process.on('message', (raw: unknown) => {
    const msg = raw as { id: number; cmd: string; args: unknown };
    if (msg.cmd === 'exit') {
      void exit(0);
      return;
    }
    const handler = handlers[msg.cmd];
    if (!handler) {
      process.send!({ id: msg.id, ok: false, error: `no command ${msg.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(msg.args as never))
      .then(
        (result) => process.send?.({ id: msg.id, ok: true, result }),
        (err: unknown) => process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
}

/** In a child: tells the parent something happened. */
export function emitToParent(event: string, data?: unknown): void {
  process.send?.({ event, data });
}
