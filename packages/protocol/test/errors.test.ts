/** The retryable refusals, shared by the client's reconnects and the bench's load generators. */
import { ERROR_CODES, isRetryable, RETRYABLE_CODES } from '@tui-chat/protocol';

describe('retryable error codes', () => {
  test('are error codes, and exactly the ones a later try may get past', () => {
    for (const code of RETRYABLE_CODES) expect(ERROR_CODES).toContain(code);
    expect([...RETRYABLE_CODES].sort()).toEqual(['internal', 'rate_limited', 'unavailable']);
  });

  test('isRetryable says yes to those and no to every other code, a stranger string or none', () => {
    for (const code of ERROR_CODES) expect(isRetryable(code)).toBe(RETRYABLE_CODES.includes(code));
    expect(isRetryable('session_expired')).toBe(false);
    expect(isRetryable('bad_credentials')).toBe(false);
    expect(isRetryable('Internal')).toBe(false);
    expect(isRetryable('')).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});
