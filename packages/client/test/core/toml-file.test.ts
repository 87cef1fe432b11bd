import { describe, expect, test } from '@jest/globals';
import { parseTomlDocument, TomlFileError } from '../../src/settings/toml-file.js';

describe('parseTomlDocument', () => {
  const known = ['host', 'port', 'proxy-protocol'];

  test('gives the entries in file order and the line each key is on', () => {
    const text = ['# a comment', 'port = 4000', '', '  \'host\' = "0.0.0.0"', 'proxy-protocol = [', '  "port = 1",', ']'].join('\n');
    const doc = parseTomlDocument(text, 'server.toml', known);
    expect(doc.entries).toEqual([
      ['port', 4000],
      ['host', '0.0.0.0'],
      ['proxy-protocol', ['port = 1']],
    ]);
    expect(['port', 'host', 'proxy-protocol'].map((k) => doc.where(k))).toEqual([
      'server.toml line 2',
      'server.toml line 4',
      'server.toml line 5',
    ]);
  });

  test('a line inside a multi-line string is not taken for a key', () => {
    const doc = parseTomlDocument('host = """\nport = 1\n"""\nport = 2\n', 'f', known);
    expect(doc.where('port')).toBe('f line 4');
  });

  test.each([
    ['port = 1\n[server]\nport = 2', /^f line 2: there is no setting "server" \(the settings are host, port, proxy-protocol\)$/],
    ['port = 1\nserver.port = 2', /^f line 2: there is no setting "server"/],
    ['"Port" = 1', /^f line 1: there is no setting "Port"/],
    ['port = 1\nport = 2', /^f line 2 is not valid TOML \(.+\)$/],
    ['port = ', /^f line 1 is not valid TOML/],
  ])('%j is refused in one sentence', (text, message) => {
    expect(() => parseTomlDocument(text, 'f', known)).toThrow(TomlFileError);
    expect(() => parseTomlDocument(text, 'f', known)).toThrow(message);
  });
});
