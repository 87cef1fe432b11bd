/** Argument helpers shared by the commands: words, user names, message text, the usage line. */
import { groupKey, groupNameProblem, isGroup, MESSAGE_MAX_BYTES, nameProblem, normalizeName, utf8Bytes } from '@tui-chat/protocol';
import type { ClientContext } from '../context.js';
import type { CommandInfo } from './command.js';

/** The first `n` blank-separated words, and the rest exactly as typed (leading blanks removed). */
export function takeWords(text: string, n: number): { words: string[]; rest: string } {
  let rest = text.replace(/^\s+/, '');
  const words: string[] = [];
  while (words.length < n && rest.length > 0) {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(rest)!;
    words.push(m[1]!);
    rest = m[2]!;
  }
  return { words, rest };
}

/** Every blank-separated word. */
export function allWords(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Puts the usage line (after the problem, when there is one) in the responses pane. */
export function usage(ctx: ClientContext, cmd: CommandInfo, problem?: string): void {
  ctx.respond('usage', problem ? `${problem}\nusage: ${cmd.usage}` : `usage: ${cmd.usage}`);
}

/** A short quoted echo of what the user typed. */
export function quote(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/** The normalised name, or null after a usage line saying what is wrong with it. */
export function userArg(ctx: ClientContext, cmd: CommandInfo, raw: string): string | null {
  const problem = nameProblem(raw);
  if (problem) {
    usage(ctx, cmd, `${quote(raw)} is not a user name: ${problem}`);
    return null;
  }
  return normalizeName(raw);
}

/** A group's `#name` (with or without the `#` typed), or null after a usage line saying what is wrong with it. */
export function groupArg(ctx: ClientContext, cmd: CommandInfo, raw: string): string | null {
  const problem = groupNameProblem(raw);
  if (problem) {
    usage(ctx, cmd, `${quote(raw)} is not a group name: ${problem}`);
    return null;
  }
  return groupKey(raw);
}

/** A user's name, or a group's `#name` when it starts with `#`; null after a usage line. */
export function conversationArg(ctx: ClientContext, cmd: CommandInfo, raw: string): string | null {
  return isGroup(raw) ? groupArg(ctx, cmd, raw) : userArg(ctx, cmd, raw);
}

/** Why a message text cannot be sent, or null. */
export function textProblem(text: string): string | null {
  if (text.trim().length === 0) return 'The message is empty; nothing was sent.';
  const bytes = utf8Bytes(text);
  if (bytes > MESSAGE_MAX_BYTES) {
    return `A message holds at most ${MESSAGE_MAX_BYTES} bytes; this one has ${bytes}. Nothing was sent.`;
  }
  return null;
}

/** Usage line when the command takes no arguments but got some; returns true when it is fine. */
export function noArgs(ctx: ClientContext, cmd: CommandInfo, args: string): boolean {
  if (args.trim().length === 0) return true;
  usage(ctx, cmd, `/${cmd.name} takes no arguments.`);
  return false;
}
