/**
 * Group conversations: a conversation with members instead of a pair. On the wire a group is
 * `#name` wherever a pair conversation names the other user (`message:send` `to`, `history:fetch`
 * and `read:mark` `with`, a summary's `with`), and its conversation id is `#name` too.
 */
import { nameProblem, normalizeName } from './limits.js';

/** What marks a group where a user name could stand. */
export const GROUP_PREFIX = '#';
/** Members one group may have (its creator included). */
export const GROUP_MEMBERS_MAX = 100;
/** Groups one user may be a member of. */
export const GROUPS_PER_USER_MAX = 50;

/** True when `name` (a conversation's `with`, or its id) is a group. */
export function isGroup(name: string): boolean {
  return name.startsWith(GROUP_PREFIX);
}

/** `team` or `#team` → `#team`, lower case. Does not validate. */
export function groupKey(raw: string): string {
  const name = normalizeName(raw);
  return isGroup(name) ? name : `${GROUP_PREFIX}${name}`;
}

/**
 * Why a group name (with or without its `#`) is not acceptable, or null. The user-name rule, so a
 * group name is as safe to show and store: 1-32 of a-z 0-9 _ . -, starting with a letter or digit.
 */
export function groupNameProblem(raw: string): string | null {
  const bare = groupKey(raw).slice(GROUP_PREFIX.length);
  if (bare.length === 0) return 'A group name cannot be empty.';
  const problem = nameProblem(bare);
  if (problem) return problem.replace('A user name', 'A group name');
  if (!/^[a-z0-9]/.test(bare)) return 'A group name starts with a letter or a digit.';
  return null;
}

/** A group as the server describes it. */
export interface GroupInfo {
  /** `#name`: the conversation's `with` and id. */
  group: string;
  /** Its members, by name. */
  members: string[];
  createdBy: string;
  createdAt: number;
}

/** What happened to a group, told to its members' sessions (and to one who left). */
export interface GroupUpdate {
  group: GroupInfo;
  change: 'created' | 'joined' | 'left';
  /** Who joined or left (the creator for `created`). */
  user: string;
  /** Who did it: the inviter for `joined`; the user themself for `created` and `left`. */
  by: string;
}
