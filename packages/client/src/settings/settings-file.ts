/**
 * The settings file: `$XDG_CONFIG_HOME/tui-chat/config.toml` (else `~/.config/tui-chat/config.toml`),
 * TOML with one line per setting. A missing file means the defaults; a bad one is refused with one
 * sentence naming the file and the line (the reading is shared with the server's config: toml-file.ts). `/set` writes it back whole, 0600.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS, SETTING_DEFINITIONS, SETTING_NAMES, settingDefinition, type Settings, type SettingName } from './settings.js';
import { parseTomlDocument, shownTomlValue, TomlFileError, type TomlDocument } from './toml-file.js';

export class SettingsError extends Error {}

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'tui-chat', 'config.toml');
}

/** The file's settings over the defaults. */
export function parseSettings(text: string, file: string): Settings {
  let doc: TomlDocument;
  try {
    doc = parseTomlDocument(text, file, SETTING_NAMES);
  } catch (err) {
    if (err instanceof TomlFileError) throw new SettingsError(err.message);
    throw err;
  }
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const [key, raw] of doc.entries) {
    const definition = settingDefinition(key)!;
    const isSwitch = typeof DEFAULT_SETTINGS[definition.name] === 'boolean';
    // A switch is a TOML boolean; the others are strings.
    const value = isSwitch ? (typeof raw === 'boolean' ? raw : null) : typeof raw === 'string' ? definition.parse(raw) : null;
    if (value === null) {
      const expected = isSwitch ? 'true or false' : definition.values.map((v) => JSON.stringify(v)).join(', ');
      throw new SettingsError(`${doc.where(key)}: ${definition.name} must be ${expected}, not ${shownTomlValue(raw)}`);
    }
    (settings as unknown as Record<SettingName, unknown>)[definition.name] = value;
  }
  return settings;
}

/** The file for these settings: every setting with its meaning, so the file explains itself. */
export function formatSettings(settings: Settings): string {
  const lines = ['# tui-chat client settings. Also: `/set` in the client, and `tui-chat connect --help`.', ''];
  for (const d of SETTING_DEFINITIONS) {
    lines.push(`# ${d.summary}`);
    const value = settings[d.name];
    lines.push(`${d.name} = ${typeof value === 'boolean' ? String(value) : JSON.stringify(value)}   # ${d.values.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

export interface SettingsFile {
  readonly path: string;
  /** The settings in the file, the defaults when there is none; SettingsError when it cannot be used. */
  load(): Settings;
  /** Writes the file (folder 0700, file 0600, replaced in one step); SettingsError when it cannot. */
  save(settings: Settings): void;
}

export function settingsFile(file: string = settingsPath()): SettingsFile {
  return {
    path: file,
    load() {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { ...DEFAULT_SETTINGS };
        throw new SettingsError(`cannot read ${file} (${code ?? String(err)})`);
      }
      return parseSettings(text, file);
    },
    save(settings) {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        fs.writeFileSync(temp, formatSettings(settings), { mode: 0o600 });
        fs.renameSync(temp, file);
      } catch (err) {
        try {
          fs.rmSync(temp, { force: true });
        } catch {
          // Nothing was written there either.
        }
        throw new SettingsError(`cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    },
  };
}
