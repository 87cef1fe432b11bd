/**
 * /set [setting [value]]: the client's settings (bell, title, notify, typing). Without arguments, every
 * setting and its value; with a value, changes it now and saves it to the settings file.
 */
import { parseSetting, SETTING_DEFINITIONS, settingDefinition, showSetting, unknownSetting } from '../../settings/settings.js';
import { allWords, usage } from './args.js';
import type { Command } from './command.js';

export const set: Command = {
  name: 'set',
  aliases: [],
  usage: '/set [setting [value]]',
  summary: 'show the settings (bell, title, notify, typing), or change one and save it',
  argAt(index, before) {
    if (index === 0) return { words: SETTING_DEFINITIONS.map((d) => d.name) };
    if (index === 1) return { words: settingDefinition(before[0] ?? '')?.values ?? [] };
    return undefined;
  },
  async run(ctx, args) {
    const words = allWords(args);
    const settings = ctx.store.get().settings;
    if (words.length === 0) {
      const width = Math.max(...SETTING_DEFINITIONS.map((d) => `${d.name} = ${showSetting(settings, d.name)}`.length));
      const lines = SETTING_DEFINITIONS.map((d) => `  ${`${d.name} = ${showSetting(settings, d.name)}`.padEnd(width)}  ${d.summary}`);
      const where = ctx.settingsFile ? `saved in ${ctx.settingsFile.path}` : 'not saved';
      ctx.respond('info', [`settings (${where}; /set <setting> <value> changes one):`, ...lines].join('\n'));
      return;
    }
    if (words.length > 2) return usage(ctx, set);
    const definition = settingDefinition(words[0]!);
    if (!definition) return usage(ctx, set, unknownSetting(words[0]!));
    if (words.length === 1) {
      ctx.respond(
        'info',
        `${definition.name} = ${showSetting(settings, definition.name)} (${definition.values.join(', ')}): ${definition.summary}`,
      );
      return;
    }
    const parsed = parseSetting(definition.name, words[1]!);
    if ('error' in parsed) return usage(ctx, set, parsed.error);
    const next = { ...settings, [parsed.name]: parsed.value };
    ctx.update((s) => ({ ...s, settings: { ...s.settings, [parsed.name]: parsed.value } }));
    const now = `${parsed.name} is now ${showSetting(next, parsed.name)}`;
    if (!ctx.settingsFile) {
      ctx.respond('info', `${now} (for this session).`);
      return;
    }
    try {
      // Only this change goes to the file: settings given as flags for this run stay out of it.
      ctx.settingsFile.save({ ...ctx.settingsFile.load(), [parsed.name]: parsed.value });
      ctx.respond('info', `${now} (saved in ${ctx.settingsFile.path}).`);
    } catch (err) {
      ctx.respond('error', `${now} for this session, but ${(err as Error).message}.`);
    }
  },
};
