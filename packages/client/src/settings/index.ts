/** The client's settings alone (no React, no Ink): what `tui-chat connect` reads before the UI loads. */
export * from './settings.js';
export { formatSettings, parseSettings, settingsFile, settingsPath, SettingsError, type SettingsFile } from './settings-file.js';
export { parseTomlDocument, shownTomlValue, TomlFileError, type TomlDocument } from './toml-file.js';
