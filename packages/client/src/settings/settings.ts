/**
 * The client's settings: what each one means, its values, and parsing them from the config file,
 * the `connect` flags and `/set`. One table, so the three cannot disagree.
 */

export type NotifyMode = 'off' | 'osc9' | 'osc777';

export interface Settings {
  /** Ring the terminal bell when a private message (or a list broadcast, or one naming you) arrives where you are not looking. */
  bell: boolean;
  /** Show the unread count in the terminal's title. */
  title: boolean;
  /** Desktop notifications through the terminal's escape sequences (off by default). */
  notify: NotifyMode;
  /** Tell the person you write to that you are typing (others' typing shows either way). */
  typing: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = { bell: true, title: true, notify: 'off', typing: true };

export type SettingName = keyof Settings;

interface Definition<K extends SettingName> {
  name: K;
  /** The words a person types (the first is how the value is shown). */
  values: readonly string[];
  summary: string;
  /** From a typed word; null when it is not one of the values. */
  parse(word: string): Settings[K] | null;
  /** As typed and shown. */
  show(value: Settings[K]): string;
}

const ON = ['on', 'true', 'yes', '1'];
const OFF = ['off', 'false', 'no', '0'];
function onOff<K extends 'bell' | 'title' | 'typing'>(name: K, summary: string): Definition<K> {
  return {
    name,
    values: ['on', 'off'],
    summary,
    parse: (word) => (ON.includes(word.toLowerCase()) ? true : OFF.includes(word.toLowerCase()) ? false : null) as Settings[K] | null,
    show: (value) => (value ? 'on' : 'off'),
  };
}

export const SETTING_DEFINITIONS: readonly [Definition<'bell'>, Definition<'title'>, Definition<'notify'>, Definition<'typing'>] = [
  onOff('bell', 'ring the bell for a private message where you are not looking'),
  onOff('title', 'show the unread count in the terminal title'),
  {
    name: 'notify',
    values: ['off', 'osc9', 'osc777'],
    summary: 'desktop notifications through the terminal: osc9 (iTerm2, WezTerm, kitty) or osc777 (VTE terminals, foot)',
    parse: (word) => (['off', 'osc9', 'osc777'].includes(word.toLowerCase()) ? (word.toLowerCase() as NotifyMode) : null),
    show: (value) => value,
  },
  onOff('typing', 'tell the person you write to that you are typing'),
];

export const SETTING_NAMES: readonly SettingName[] = SETTING_DEFINITIONS.map((d) => d.name);

export function settingDefinition(name: string): Definition<SettingName> | undefined {
  return SETTING_DEFINITIONS.find((d) => d.name === name.toLowerCase()) as Definition<SettingName> | undefined;
}

/** Why a name is not a setting, in one sentence. */
export function unknownSetting(name: string): string {
  return `There is no setting ${JSON.stringify(name.slice(0, 40))}; the settings are ${SETTING_NAMES.join(', ')}.`;
}

/** Why a value does not fit a setting, in one sentence. */
export function badValue(name: SettingName, value: string): string {
  const values = settingDefinition(name)!.values;
  return `${name} takes ${values.slice(0, -1).join(', ')} or ${values.at(-1)}, not ${JSON.stringify(value.slice(0, 40))}.`;
}

/** A typed value for a setting, or the sentence saying why not. */
export function parseSetting(name: string, value: string): { name: SettingName; value: Settings[SettingName] } | { error: string } {
  const definition = settingDefinition(name);
  if (!definition) return { error: unknownSetting(name) };
  const parsed = definition.parse(value.trim());
  if (parsed === null) return { error: badValue(definition.name, value.trim()) };
  return { name: definition.name, value: parsed };
}

export function showSetting(settings: Settings, name: SettingName): string {
  return (settingDefinition(name)!.show as (v: Settings[SettingName]) => string)(settings[name]);
}
