import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/**
 * SSRF (PRODUCT.md §5): endpoint URLs must not reach the service's own network. Refused: loopback,
 * private (RFC 1918, unique-local), link-local (cloud metadata at 169.254.169.254 among them),
 * carrier-grade NAT, "this network", multicast and reserved ranges, and the known metadata
 * addresses of other clouds — for IPv4, IPv6, and IPv4 mapped into IPv6. Checked when an endpoint is
 * created and again on every connection (the HTTP client's own DNS lookup: a name that resolved
 * to a public address yesterday and to 127.0.0.1 now is refused), unless
 * WEBHOOKS_ALLOW_PRIVATE_URLS=true.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv4');
BLOCKED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv6');
BLOCKED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

/** Whether an IP address (v4 or v6 text) is one an endpoint may not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** The URL's form: http(s), a host, no credentials in it. */
export function checkUrlForm(raw: string): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'must be an http or https URL' };
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
  return { ok: true, url };
}

/** Resolves the host and refuses it when any of its addresses is blocked (or none resolves). */
export async function checkDestination(url: URL): Promise<UrlVerdict> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch {
      return { ok: false, reason: `host ${host} does not resolve` };
    }
  }
  const blocked = addresses.find(isBlockedAddress);
  if (blocked !== undefined || addresses.length === 0)
    return {
      ok: false,
      reason: `resolves to ${blocked ?? 'no address'}, a loopback, private, link-local or metadata address`,
    };
  return { ok: true, url };
}
