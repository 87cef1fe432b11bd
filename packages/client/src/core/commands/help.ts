/** /help [command]: every command with its usage and summary, or one in detail. */
import { allWords, quote, usage } from './args.js';
import type { Command, CommandInfo } from './command.js';

/** The lines /help shows (also usable by the UI's help screen). */
export function helpLines(commands: readonly CommandInfo[]): string[] {
  const width = Math.min(24, Math.max(...commands.map((c) => c.usage.length)));
  return [
    'commands (Tab completes; plain text goes to the open conversation; //text sends text starting with /):',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}${aliasNote(c)}`),
  ];
}

function aliasNote(c: CommandInfo): string {
  return c.aliases.length > 0 ? ` (also ${c.aliases.map((a) => `/${a}`).join(', ')})` : '';
}

/** One command in detail: usage, summary, other names. */
export function helpFor(c: CommandInfo): string {
  return `usage: ${c.usage}\n${c.summary}${aliasNote(c)}`;
}

export const help: Command = {
  name: 'help',
  aliases: ['?'],
  usage: '/help [command]',
  beforeLogin: true,
  // Alone, the screen shows its help overlay instead (what a client without a screen prints).
  ui: 'help',
  summary: 'list the commands, or explain one',
  argAt: (index) => (index === 0 ? { commands: true } : undefined),
  async run(ctx, args, registry) {
    const words = allWords(args);
    if (words.length > 1) return usage(ctx, help);
    if (words.length === 0) {
      ctx.respond('info', helpLines(registry.all).join('\n'));
      return;
    }
    const found = registry.find(words[0]!.replace(/^\//, ''));
    if (!found) return usage(ctx, help, `There is no command ${quote(words[0]!)}.`);
    ctx.respond('info', helpFor(found));
  },
};
