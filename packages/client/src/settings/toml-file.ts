/**
 * A flat TOML file of known keys, read the same way by the client's settings and the server's
 * config file (`tui-chat serve --config`): a syntax error, an unknown key or a bad value is one
 * sentence naming the file and the line. Light on purpose (smol-toml alone), so the command line
 * can read a server's config without loading the server.
 */
import { parse, TomlError } from 'smol-toml';

export class TomlFileError extends Error {}

export interface TomlDocument {
  /** The top-level keys and their values, in the file's order. */
  readonly entries: readonly (readonly [key: string, value: unknown])[];
  /** `file line N` for a key (the file alone if its line is not found), to start an error with. */
  where(key: string): string;
}

/** Parses `text` and refuses any key not in `known`, naming the known ones. */
export function parseTomlDocument(text: string, file: string, known: readonly string[]): TomlDocument {
  let table: Record<string, unknown>;
  try {
    table = parse(text) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof TomlError ? ` line ${err.line}` : '';
    const why = (err as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new TomlFileError(`${file}${where} is not valid TOML (${why})`);
  }
  const lines = keyLines(text);
  const where = (key: string): string => (lines.has(key) ? `${file} line ${lines.get(key)}` : file);
  for (const key of Object.keys(table)) {
    if (!known.includes(key)) {
      throw new TomlFileError(
        `${where(key)}: there is no setting ${JSON.stringify(key.slice(0, 40))} (the settings are ${known.join(', ')})`,
      );
    }
  }
  return { entries: Object.entries(table), where };
}

/** `value` for an error message: as TOML would show it, cut short. */
export const shownTomlValue = (value: unknown): string =>
  (typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value))).slice(0, 40);

const KEY = String.raw`("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)`;
const KEY_LINE = new RegExp(String.raw`^\s*${KEY}\s*[=.]`);
const TABLE_LINE = new RegExp(String.raw`^\s*\[\[?\s*${KEY}`);

/**
 * The line each top-level key (or table) first appears on. smol-toml gives no positions, so the
 * lines are found by their shape; lines inside a multi-line string are skipped.
 */
function keyLines(text: string): Map<string, number> {
  const found = new Map<string, number>();
  let openQuote: string | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    const wasInString = openQuote !== null;
    for (const m of line.matchAll(/"""|'''/g)) {
      if (openQuote === null) openQuote = m[0];
      else if (openQuote === m[0]) openQuote = null;
    }
    if (wasInString) return;
    const m = KEY_LINE.exec(line) ?? TABLE_LINE.exec(line);
    if (!m) return;
    const raw = m[1]!;
    const key = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    if (!found.has(key)) found.set(key, i + 1);
  });
  return found;
}
