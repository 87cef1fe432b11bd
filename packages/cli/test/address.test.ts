import { describe, expect, test } from '@jest/globals';
import { parseAddress } from '../src/address.js';

describe('parseAddress accepts', () => {
  test.each([
    ['localhost:4000', 'http://localhost:4000', 'localhost:4000', false],
    ['localhost', 'http://localhost:4000', 'localhost:4000', false],
    ['Chat.Example.com:5000', 'http://chat.example.com:5000', 'chat.example.com:5000', false],
    ['127.0.0.1:1', 'http://127.0.0.1:1', '127.0.0.1:1', false],
    ['10.0.0.7:65535', 'http://10.0.0.7:65535', '10.0.0.7:65535', false],
    ['[::1]:4000', 'http://[::1]:4000', '[::1]:4000', false],
    ['[::1]', 'http://[::1]:4000', '[::1]:4000', false],
    ['[fe80::1:2]:4001', 'http://[fe80::1:2]:4001', '[fe80::1:2]:4001', false],
    ['ws://host:4000', 'http://host:4000', 'host:4000', false],
    ['wss://host:4443', 'https://host:4443', 'host:4443', true],
    ['http://host:8080', 'http://host:8080', 'host:8080', false],
    ['https://host:8443/', 'https://host:8443', 'host:8443', true],
    ['HTTPS://[::1]:9000', 'https://[::1]:9000', '[::1]:9000', true],
    ['ws://host', 'http://host:80', 'host:80', false],
    ['wss://chat.example.com', 'https://chat.example.com:443', 'chat.example.com:443', true],
  ])('%s', (input, url, display, secure) => {
    expect(parseAddress(input)).toEqual({ url, display, secure });
  });

  test('the default port can be chosen', () => {
    expect(parseAddress('box', 5555).display).toBe('box:5555');
  });
});

describe('parseAddress refuses, in one sentence', () => {
  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['host:', /no port after the colon/],
    ['host:abc', /port "abc"/],
    ['host:0', /port "0"/],
    ['host:65536', /port "65536"/],
    ['host:99999', /port "99999"/],
    ['host:-1', /port "-1"/],
    ['host:4000:5', /IPv6; put it in brackets/],
    ['::1', /IPv6; put it in brackets/],
    ['[::1', /without closing/],
    ['[nope]:4000', /not an IPv6 address/],
    [':4000', /no host name/],
    ['ftp://x', /ftp:\/\//],
    ['my host:4000', /spaces/],
    [' localhost:4000', /spaces/],
    ['host name', /spaces/],
    ['ws://host:4000/chat', /path/],
    ['http://', /no host name|not a host name/],
    ['alice@host:4000', /user part/],
    ['bad_host!:4000', /not a host name/],
    ['-host:4000', /not a host name/],
  ])('%j', (input, reason) => {
    let message = '';
    try {
      parseAddress(input);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(reason);
    // One sentence: a single line ending with a full stop.
    expect(message).toMatch(/^[^\n]+\.$/);
  });
});
