/**
 * `tui-chat connect ADDRESS`: what a person may type for a server, turned into the URL
 * socket.io-client needs and the `host:port` shown in the status bar.
 */
import net from 'node:net';

export interface ServerAddress {
  /** `http://host:port` or `https://host:port` (IPv6 in brackets). */
  url: string;
  /** `host:port`, as shown to the user. */
  display: string;
  secure: boolean;
}

const SCHEMES: Record<string, { secure: boolean; port: number }> = {
  ws: { secure: false, port: 80 },
  http: { secure: false, port: 80 },
  wss: { secure: true, port: 443 },
  https: { secure: true, port: 443 },
};

const LABEL = '[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');

/**
 * Accepts `host`, `host:port`, `[::1]`, `[::1]:port` and the same behind `ws://`, `wss://`,
 * `http://` or `https://` (an optional trailing `/`). Without a scheme the port defaults to
 * `defaultPort`; with one, to the scheme's own port (80 or 443), as in any URL.
 * Throws an Error whose message is one sentence a person can act on.
 */
export function parseAddress(input: string, defaultPort = 4000): ServerAddress {
  const shown = JSON.stringify(input);
  if (input.trim() === '') throw new Error('The address is empty; give host:port, like localhost:4000.');
  if (/\s/.test(input)) throw new Error(`The address ${shown} contains spaces; give host:port, like localhost:4000.`);

  let rest = input;
  let secure = false;
  let port = defaultPort;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input);
  if (scheme) {
    const known = SCHEMES[scheme[1]!.toLowerCase()];
    if (!known) {
      throw new Error(`The address ${shown} uses "${scheme[1]}://"; tui-chat speaks ws://, wss://, http:// or https:// only.`);
    }
    ({ secure, port } = known);
    rest = input.slice(scheme[0].length).replace(/\/$/, '');
    if (/[/?#]/.test(rest)) throw new Error(`The address ${shown} has a path; give only the host and port.`);
  }
  if (rest.includes('@')) throw new Error(`The address ${shown} has a user part; give --user NAME instead.`);

  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (!net.isIPv6(host)) throw new Error(`The address ${shown} has "[${host}]", which is not an IPv6 address.`);
  } else if (rest.startsWith('[')) {
    throw new Error(`The address ${shown} opens "[" without closing it; write IPv6 as [::1]:4000.`);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) throw new Error(`The address ${shown} looks like IPv6; put it in brackets, like [::1]:4000.`);
    const at = rest.indexOf(':');
    host = at === -1 ? rest : rest.slice(0, at);
    portText = at === -1 ? undefined : rest.slice(at + 1);
    if (host === '') throw new Error(`The address ${shown} has no host name before the port.`);
    if (!HOSTNAME.test(host)) throw new Error(`The address ${shown} has "${host}", which is not a host name or IPv4 address.`);
    host = host.toLowerCase();
  }

  if (portText !== undefined) {
    if (portText === '') throw new Error(`The address ${shown} has no port after the colon; write host:port, like localhost:4000.`);
    const n = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(n >= 1 && n <= 65535)) {
      throw new Error(`The address ${shown} has port "${portText}"; a port is a whole number from 1 to 65535.`);
    }
    port = n;
  }

  const hostPart = net.isIPv6(host) ? `[${host}]` : host;
  return {
    url: `${secure ? 'https' : 'http'}://${hostPart}:${port}`,
    display: `${hostPart}:${port}`,
    secure,
  };
}

/**
 * Several addresses separated by commas (the nodes of a cluster), each as parseAddress takes it;
 * spaces around the commas are allowed. One address gives a list of one. Throws an Error whose
 * message names the entry at fault.
 */
export function parseAddressList(input: string, defaultPort = 4000): ServerAddress[] {
  if (!input.includes(',')) return [parseAddress(input, defaultPort)];
  const entries = input.split(',').map((e) => e.trim());
  const shown = JSON.stringify(input);
  const list = entries.map((entry, i) => {
    const which = `entry ${i + 1} of the address list ${shown}`;
    if (entry === '') throw new Error(`The ${which} is empty; separate addresses with single commas, like host1:4000,host2:4000.`);
    try {
      return parseAddress(entry, defaultPort);
    } catch (err) {
      const why = (err as Error).message;
      throw new Error(`The ${which} is not usable: ${why[0]!.toLowerCase()}${why.slice(1)}`);
    }
  });
  const seen = new Set<string>();
  for (const a of list) {
    if (seen.has(a.url)) throw new Error(`The address list ${shown} names ${a.display} twice; give each server once.`);
    seen.add(a.url);
  }
  return list;
}
