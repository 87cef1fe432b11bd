/**
 * 'group:update': a group this user is in was made, someone joined or left it. The list gains the
 * group (or, for one who left, loses it on every session); what others did is said in the
 * responses pane (what this user did, the command said already).
 */
import type { GroupUpdate } from '@tui-chat/protocol';
import type { ClientContext } from '../context.js';
import { addKnownUsers, dropConversation, upsertView } from '../conversations.js';
import { withGroupMembers } from '../group-members.js';

export function onGroupUpdate(ctx: ClientContext, update: GroupUpdate): void {
  const me = ctx.me();
  const { group, members } = update.group;
  if (update.change === 'left' && update.user === me) {
    ctx.update((s) => withGroupMembers(dropConversation(s, group), group, null));
    return;
  }
  if (!members.includes(me)) return;
  ctx.update((s) =>
    addKnownUsers(
      upsertView(withGroupMembers(s, group, members), group, (v) => ({ lastAt: v.lastAt ?? Date.now() })),
      members,
    ),
  );
  if (update.by === me) return;
  const others = members.filter((m) => m !== me && m !== update.by).join(', ');
  if (update.change === 'created') ctx.respond('notice', `${update.by} made the group ${group} with you${others ? ` and ${others}` : ''}.`);
  else if (update.change === 'joined' && update.user === me)
    ctx.respond('notice', `${update.by} added you to ${group} (with ${update.by}${others ? `, ${others}` : ''}).`);
  else if (update.change === 'joined') ctx.respond('notice', `${update.by} added ${update.user} to ${group}.`);
  else ctx.respond('notice', `${update.user} left ${group}.`);
}
