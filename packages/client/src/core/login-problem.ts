/** What is wrong with a login or sign-up before it goes to the server (null: nothing). */
import { nameProblem, newNameProblem, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@tui-chat/protocol';
import type { LoginRequest } from './types.js';

export function loginProblem(request: LoginRequest): string | null {
  // A new account's name passes the stricter rules (existing ones log in under the older ones).
  const name = request.register ? newNameProblem(request.user) : nameProblem(request.user);
  if (name) return name;
  if (request.password.length === 0) return 'Enter a password.';
  if (request.register && request.password.length < PASSWORD_MIN_LENGTH) {
    return `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (request.password.length > PASSWORD_MAX_LENGTH) return `A password has at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}
