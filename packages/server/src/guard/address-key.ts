/**
 * The key limits count an address by. IPv4 addresses count one by one; IPv6 addresses by their
 * network (a /64 by default): anyone with a /64 has 2^64 addresses, and counting them one by one
 * would give them as many lockout and login budgets.
 */
import net from 'node:net';

export const DEFAULT_IPV6_PREFIX = 64;

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function groups(address: string): number[] | null {
  const bare = address.split('%')[0]!; // a zone index (fe80::1%eth0) names a link, not an address
  if (net.isIPv6(bare) === false) return null;
  // An IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const text = bare.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_, a, b, c, d) => `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const left = head
    ? head
        .split(':')
        .filter((g) => g !== '')
        .map((g) => parseInt(g, 16))
    : [];
  const right = rest
    ? rest
        .split(':')
        .filter((g) => g !== '')
        .map((g) => parseInt(g, 16))
    : [];
  const fill = 8 - left.length - right.length;
  if (rest === null && fill !== 0) return null;
  return [...left, ...Array<number>(Math.max(0, fill)).fill(0), ...right];
}

/**
 * `address` as limits count it: IPv4 as it is (an IPv4-mapped IPv6 address as its IPv4 address),
 * IPv6 cut to its first `prefix` bits and written `2001:db8:1:2::/64`.
 */
export function addressKey(address: string, prefix: number = DEFAULT_IPV6_PREFIX): string {
  if (address.startsWith('::ffff:') && net.isIPv4(address.slice(7))) return address.slice(7);
  if (net.isIPv4(address)) return address;
  const g = groups(address);
  if (!g) return address;
  if (prefix >= 128) return `${g.map((x) => x.toString(16)).join(':')}/128`;
  const kept = g.map((value, i) => {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    return bits === 0 ? 0 : value & (0xffff << (16 - bits)) & 0xffff;
  });
  // The network written short: the groups up to the last non-zero one, then "::".
  let last = kept.length - 1;
  while (last >= 0 && kept[last] === 0) last--;
  const shown = kept
    .slice(0, last + 1)
    .map((x) => x.toString(16))
    .join(':');
  return `${shown}${last < 7 ? '::' : ''}/${prefix}`;
}
