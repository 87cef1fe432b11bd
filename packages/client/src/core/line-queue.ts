/**
 * The one queue typed lines run through: each starts once the one before it has finished, in the
 * order given, so a paste's lines never mix with lines typed after it, and "/open bob" then "hi"
 * sends "hi" to bob. A line that fails does not stop the ones after it.
 */
export class LineQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `line` after those queued before it; settles as it does. */
  add(line: () => Promise<void>): Promise<void> {
    const done = this.tail.then(line);
    this.tail = done.catch(() => undefined);
    return done;
  }
}
