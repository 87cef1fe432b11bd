/**
 * Errors meant for the person at the terminal: `main` prints the message as one line and exits
 * with the code, never with a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2: bad usage or an environment the command cannot work in; 1: the operation itself failed. */
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The errno-style code of a Node error, if it has one. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

/** Sentences from other packages ("A user name ...") read right after a colon in our lines. */
export const lowerFirst = (s: string): string => (/^[A-Z](?![A-Z])/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
