/**
 * The settings `tui-chat serve` runs with: each from its flag, else its environment variable,
 * else the config file (`--config FILE` or TUI_CHAT_CONFIG), else its default. Every value is
 * checked here, before anything is loaded, and a bad one is one sentence naming where it came
 * from: `--idle-timeout`, `TUI_CHAT_IDLE_TIMEOUT`, or `tui-chat.toml line 4: idle-timeout`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseTomlDocument, shownTomlValue, TomlFileError } from '@tui-chat/client/settings';
import { CliError, errnoCode } from '../errors.js';
import { CONFIG_ENV, envOf, keyOf, SERVE_SETTINGS, SETTING_NAMES, type ServeSettings, type SettingName, type TomlKind } from './table.js';

export interface ResolvedServeSettings {
  values: ServeSettings;
  /** Where a setting came from, to start a message with (the flag, when it was not given at all). */
  label(name: SettingName): string;
  /** The config file read, if any. */
  configFile?: string;
}

interface Given {
  raw: string;
  label: string;
}

/** `flags` as commander gives them (strings, absent when not given). */
export function resolveServeSettings(
  flags: Partial<Record<SettingName, string>>,
  configFlag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedServeSettings {
  const configFile = configFlag ?? (env[CONFIG_ENV] || undefined);
  const fromFile =
    configFile === undefined ? new Map<SettingName, Given>() : readConfigFile(configFile, configFlag ? '--config' : CONFIG_ENV);
  const labels = new Map<SettingName, string>();
  const values = {} as Record<SettingName, unknown>;
  for (const name of SETTING_NAMES) {
    const given = givenFor(name, flags[name], env, fromFile);
    labels.set(name, given?.label ?? `--${keyOf(name)}`);
    values[name] = given ? SERVE_SETTINGS[name].parse(given.raw, given.label) : SERVE_SETTINGS[name].fallback(env);
  }
  const resolved: ResolvedServeSettings = {
    values: values as ServeSettings,
    label: (name) => labels.get(name)!,
    configFile,
  };
  checkCombinations(resolved);
  return resolved;
}

/**
 * One setting alone, as serve would take it: `tui-chat user` finds the server's database this way
 * (`--db`, TUI_CHAT_DB, the config file's `db`, the default), without checking the others.
 */
export function resolveServeSetting<K extends SettingName>(
  name: K,
  flag: string | undefined,
  configFlag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ServeSettings[K] {
  const configFile = configFlag ?? (env[CONFIG_ENV] || undefined);
  const fromFile =
    configFile === undefined ? new Map<SettingName, Given>() : readConfigFile(configFile, configFlag ? '--config' : CONFIG_ENV);
  const given = givenFor(name, flag, env, fromFile);
  const row = SERVE_SETTINGS[name];
  return (given ? row.parse(given.raw, given.label) : row.fallback(env)) as ServeSettings[K];
}

/** The flag, else the variable (empty counts as unset), else the file's line. */
function givenFor(
  name: SettingName,
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  fromFile: Map<SettingName, Given>,
): Given | undefined {
  const envRaw = env[envOf(name)];
  if (flag !== undefined) return { raw: flag, label: `--${keyOf(name)}` };
  if (envRaw !== undefined && envRaw !== '') return { raw: envRaw, label: envOf(name) };
  return fromFile.get(name);
}

/** The file's settings as text (as a flag would give them), each labelled with its line. */
function readConfigFile(file: string, via: string): Map<SettingName, Given> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the config file ${file} (from ${via}): ${errnoCode(err) ?? String(err)}.`);
  }
  const byKey = new Map(SETTING_NAMES.map((name) => [keyOf(name), name]));
  let doc;
  try {
    doc = parseTomlDocument(text, file, [...byKey.keys()]);
  } catch (err) {
    if (err instanceof TomlFileError) throw new CliError(`${err.message}.`);
    throw err;
  }
  const given = new Map<SettingName, Given>();
  for (const [key, value] of doc.entries) {
    const name = byKey.get(key)!;
    const row = SERVE_SETTINGS[name];
    const label = `${doc.where(key)}: ${key}`;
    let raw = tomlText(value, row.toml);
    if (raw === null) throw new CliError(`${label} must be ${EXPECTED[row.toml]}, not ${shownTomlValue(value)}.`);
    // A relative path in a config file is relative to the file, wherever the server is started from.
    if (row.isPath && raw.trim() !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) raw = path.resolve(path.dirname(file), raw);
    given.set(name, { raw, label });
  }
  return given;
}

const EXPECTED: Record<TomlKind, string> = {
  string: 'a string in quotes',
  integer: 'a whole number',
  list: 'a list of strings, like ["10.0.0.10", "10.0.0.0/24"]',
};

function tomlText(value: unknown, kind: TomlKind): string | null {
  if (typeof value === 'string') return value;
  if (kind === 'integer' && (typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value)))) return String(value);
  if (kind === 'list' && Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value.join(',');
  return null;
}

/** Settings that only mean something beside another one. */
function checkCombinations({ values, label }: ResolvedServeSettings): void {
  const redisGiven = '--redis (or TUI_CHAT_REDIS, or redis in the config file)';
  if (values.redisPrefix !== undefined && !values.redis) throw new CliError(`${label('redisPrefix')} only applies with ${redisGiven}.`);
  if (values.presenceTtl !== undefined && !values.redis) throw new CliError(`${label('presenceTtl')} only applies with ${redisGiven}.`);
  if (values.dbPool !== undefined && values.db.kind !== 'postgres') {
    throw new CliError(`${label('dbPool')} only applies to a postgres:// database.`);
  }
  if ((values.tlsCert === undefined) !== (values.tlsKey === undefined)) {
    const given = values.tlsCert !== undefined ? label('tlsCert') : label('tlsKey');
    throw new CliError(`--tls-cert and --tls-key go together (tls-cert and tls-key in a config file); ${given} was given alone.`);
  }
}
