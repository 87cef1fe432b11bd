/**
 * /group create|invite|leave|members: group conversations (`#name`). A group made here opens; its
 * messages are sent like any other line with it open (or /msg #name text). The IRC habits
 * /join, /part and /invite (irc-groups.ts) run the same steps.
 */
import { isGroup } from '@tui-chat/protocol';
import { ask } from '../ask.js';
import type { ClientContext } from '../context.js';
import { addKnownUsers, dropConversation, upsertView } from '../conversations.js';
import { withGroupMembers } from '../group-members.js';
import { allWords, groupArg, usage, userArg } from './args.js';
import type { Command, CommandInfo } from './command.js';

/** Makes the group with these users and opens it; false when the server refused (it said why). */
export async function createGroup(ctx: ClientContext, group: string, members: string[]): Promise<boolean> {
  const reply = await ask(ctx, 'group:create', { name: group, members });
  if (!reply) return false;
  const { members: all } = reply.group;
  ctx.update((s) =>
    addKnownUsers(
      upsertView(s, group, (v) => ({ lastAt: v.lastAt ?? Date.now() })),
      all,
    ),
  );
  const others = all.filter((m) => m !== ctx.me());
  ctx.respond(
    'info',
    `made the group ${group}${others.length > 0 ? ` with ${others.join(', ')}` : ' (only you so far: /group invite adds people)'}`,
  );
  await ctx.open(group);
  return true;
}

export async function inviteTo(ctx: ClientContext, group: string, user: string): Promise<void> {
  const reply = await ask(ctx, 'group:invite', { group, user });
  if (!reply) return;
  ctx.respond('info', reply.changed ? `added ${user} to ${group}` : `${user} is in ${group} already`);
}

export async function leaveGroup(ctx: ClientContext, group: string): Promise<void> {
  const reply = await ask(ctx, 'group:leave', { group });
  if (!reply) return;
  ctx.update((s) => dropConversation(s, group));
  ctx.respond('info', `you left ${group}; its messages are no longer shown here`);
}

export async function showMembers(ctx: ClientContext, group: string): Promise<void> {
  const reply = await ask(ctx, 'group:members', { group });
  if (!reply) return;
  const { members, createdBy } = reply.group;
  ctx.update((s) => withGroupMembers(s, reply.group.group, members));
  const online = new Set(reply.online);
  const list = members.map((m) => `${online.has(m) ? '● ' : ''}${m}${m === ctx.me() ? ' (you)' : ''}`).join(', ');
  ctx.respond('info', `${group}: ${members.length} member${members.length === 1 ? '' : 's'} (● online; made by ${createdBy}): ${list}`);
}

/** The group named by `raw`, or else the open conversation when it is a group; null after a usage line. */
export function groupOrOpen(ctx: ClientContext, cmd: CommandInfo, raw: string | undefined): string | null {
  if (raw !== undefined) return groupArg(ctx, cmd, raw);
  const open = ctx.store.get().openConversation;
  if (open !== null && isGroup(open)) return open;
  usage(ctx, cmd, 'No group is open; name one.');
  return null;
}

const ACTIONS = ['create', 'invite', 'leave', 'members'] as const;

export const group: Command = {
  name: 'group',
  aliases: [],
  usage: '/group create <name> <user>...  |  /group invite <name> <user>  |  /group leave [name]  |  /group members [name]',
  summary: 'group conversations (#name): make one with people in it, add someone, leave, list who is in it',
  argAt: (index, before) => {
    if (index === 0) return { words: ACTIONS };
    if (index === 1) return before[0]?.toLowerCase() === 'create' ? undefined : { groups: true };
    return before[0]?.toLowerCase() === 'create' || before[0]?.toLowerCase() === 'invite' ? { users: true } : undefined;
  },
  async run(ctx, args) {
    const [action, ...rest] = allWords(args);
    switch (action?.toLowerCase()) {
      case 'create': {
        const [rawName, ...rawUsers] = rest;
        if (rawName === undefined) return usage(ctx, group, 'Name the group, then the people to put in it.');
        const name = groupArg(ctx, group, rawName);
        if (name === null) return;
        const users: string[] = [];
        for (const raw of rawUsers) {
          const user = userArg(ctx, group, raw);
          if (user === null) return;
          users.push(user);
        }
        await createGroup(ctx, name, users);
        return;
      }
      case 'invite': {
        // "/group invite bob" with a group open adds bob to it.
        const [first, second] = rest;
        if (first === undefined || rest.length > 2) return usage(ctx, group, 'Say which group and whom: /group invite <name> <user>.');
        const name = groupOrOpen(ctx, group, second === undefined ? undefined : first);
        if (name === null) return;
        const user = userArg(ctx, group, second ?? first);
        if (user === null) return;
        await inviteTo(ctx, name, user);
        return;
      }
      case 'leave':
      case 'members': {
        if (rest.length > 1) return usage(ctx, group);
        const name = groupOrOpen(ctx, group, rest[0]);
        if (name === null) return;
        await (action.toLowerCase() === 'leave' ? leaveGroup(ctx, name) : showMembers(ctx, name));
        return;
      }
      default:
        return usage(ctx, group);
    }
  },
};
