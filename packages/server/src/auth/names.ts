/**
 * The rules a new account's name must pass: the protocol's (shape, a letter, not reserved) and
 * not looking like an existing name (the same skeleton: `a1ice` beside `alice`). Registration and
 * `tui-chat user add|import` share them.
 */
import { nameSkeleton, newNameProblem } from '@tui-chat/protocol';
import type { Store } from '../store/types.js';

export interface NewNameRefusal {
  /** invalid_name: the name breaks a rule; name_taken: it passes for someone already here. */
  code: 'invalid_name' | 'name_taken';
  message: string;
}

export async function refuseNewName(
  store: Store,
  name: string,
  options: { reservedAllowed?: boolean } = {},
): Promise<NewNameRefusal | null> {
  const problem = newNameProblem(name, options);
  if (problem) return { code: 'invalid_name', message: problem };
  const alike = (await store.usersLike(nameSkeleton(name))).filter((n) => n !== name);
  if (alike.length > 0) {
    return { code: 'name_taken', message: `The name ${name} looks too much like ${alike[0]}, who is already here; choose another.` };
  }
  return null;
}
