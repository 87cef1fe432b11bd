import { describe, expect, test } from '@jest/globals';
import { parseAddress, parseAddressList } from '../src/address.js';

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

describe('parseAddressList (the nodes of a cluster)', () => {
  test('one address is a list of one; several split at commas, spaces around them allowed', () => {
    expect(parseAddressList('localhost:4000')).toEqual([{ url: 'http://localhost:4000', display: 'localhost:4000', secure: false }]);
    expect(parseAddressList('host1:4000,host2:4001, [::1]:4002 ,wss://h3')).toEqual([
      { url: 'http://host1:4000', display: 'host1:4000', secure: false },
      { url: 'http://host2:4001', display: 'host2:4001', secure: false },
      { url: 'http://[::1]:4002', display: '[::1]:4002', secure: false },
      { url: 'https://h3:443', display: 'h3:443', secure: true },
    ]);
    expect(parseAddressList('a,b').map((x) => x.display)).toEqual(['a:4000', 'b:4000']);
  });

  test.each([
    [
      'host1:4000,host2:abc',
      /^The entry 2 of the address list "host1:4000,host2:abc" is not usable: the address "host2:abc" has port "abc"/,
    ],
    ['bad_host!:1,host2:4000', /entry 1 of the address list .* is not usable: the address "bad_host!:1" has "bad_host!"/],
    ['host1:4000,,host2:4000', /entry 2 of the address list "host1:4000,,host2:4000" is empty/],
    ['host1:4000,', /entry 2 of the address list "host1:4000," is empty/],
    ['host1:4000,host1:4000', /names host1:4000 twice/],
    ['h:1,ftp://x', /entry 2 .* "ftp:\/\/"/],
  ])('%j is refused naming the bad entry', (input, reason) => {
    expect(() => parseAddressList(input)).toThrow(reason);
  });
});
