/** `tui-chat serve`'s options and the help about settings, made from the settings table. */
import { Option, type Command } from 'commander';
import { CONFIG_ENV, envOf, keyOf, SERVE_SETTINGS, SETTING_NAMES } from './table.js';

/** One option per setting, its help naming the variable and the default; then --config. */
export function addSettingOptions(command: Command): void {
  for (const name of SETTING_NAMES) {
    const row = SERVE_SETTINGS[name];
    const defaults = row.defaultText === undefined ? '' : `, default ${row.defaultText}`;
    command.addOption(new Option(`--${keyOf(name)} ${row.arg}`, `${row.help} (env ${envOf(name)}${defaults})`));
  }
  command.addOption(new Option('--config <file>', `read settings from this TOML file (env ${CONFIG_ENV}); see below`));
}

export const SETTINGS_HELP = `
Settings: each flag has an environment variable and a config-file key named
after it (--idle-timeout, TUI_CHAT_IDLE_TIMEOUT, idle-timeout = 1800). A flag
wins over the variable, the variable over the config file, the file over the
default. The config file (--config FILE or ${CONFIG_ENV}) is TOML, one line
per setting; numbers bare, text in quotes, a relative path relative to the
file's folder:
  host = "0.0.0.0"
  registration = "closed"
  idle-timeout = 1800
  proxy-protocol = ["10.0.0.10", "10.0.0.0/24"]

Environment:
${wrap([...SETTING_NAMES.map(envOf), CONFIG_ENV].join(', '), 78, '  ')}`;

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}
