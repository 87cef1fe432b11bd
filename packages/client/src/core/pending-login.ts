/**
 * The login under way, as ChatClient's login() and resume() wait for it: settled once, true when
 * the session is up, false when it failed, was logged out or closed, or a newer login replaced it.
 */
export class PendingLogin {
  private done: ((ok: boolean) => void) | null = null;
  /** Counts logins started, so one that waited for the network code knows when a newer one replaced it. */
  private serial = 0;

  /** A new login is about to wait (after `settle(false)` for the one before): its serial for `isCurrent`. */
  next(): number {
    return ++this.serial;
  }

  isCurrent(serial: number): boolean {
    return serial === this.serial;
  }

  /** Waits for the outcome; `start` opens the connection once the waiting is set up. */
  wait(start: () => void): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.done = resolve;
      start();
    });
  }

  settle(ok: boolean): void {
    this.done?.(ok);
    this.done = null;
  }
}
