/**
 * IRC's habits for groups: /join #name opens a group you are in, or makes it (with you alone) when
 * no group has that name; /part [#name] leaves; /invite <user> [#name] adds someone. Groups are by
 * invitation, so /join cannot enter someone else's group: a member invites you.
 */
import { findView } from '../conversations.js';
import { allWords, groupArg, usage, userArg } from './args.js';
import type { Command } from './command.js';
import { createGroup, groupOrOpen, inviteTo, leaveGroup } from './group.js';

export const join: Command = {
  name: 'join',
  aliases: [],
  usage: '/join #<name>',
  summary: 'open a group you are in, or make a new one with you in it',
  argAt: (index) => (index === 0 ? { groups: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length !== 1) return usage(ctx, join);
    const name = groupArg(ctx, join, words[0]!);
    if (name === null) return;
    if (findView(ctx.store.get(), name)) return ctx.open(name);
    await createGroup(ctx, name, []);
  },
};

export const part: Command = {
  name: 'part',
  aliases: [],
  usage: '/part [#name]',
  summary: 'leave a group (the open one when none is named)',
  argAt: (index) => (index === 0 ? { groups: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length > 1) return usage(ctx, part);
    const name = groupOrOpen(ctx, part, words[0]);
    if (name !== null) await leaveGroup(ctx, name);
  },
};

export const invite: Command = {
  name: 'invite',
  aliases: [],
  usage: '/invite <user> [#name]',
  summary: 'add someone to a group (the open one when none is named)',
  argAt: (index) => (index === 0 ? { users: true } : index === 1 ? { groups: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length < 1 || words.length > 2) return usage(ctx, invite);
    const user = userArg(ctx, invite, words[0]!);
    if (user === null) return;
    const name = groupOrOpen(ctx, invite, words[1]);
    if (name !== null) await inviteTo(ctx, name, user);
  },
};
