import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { invalidField } from '../errors.ts';

/**
 * The SSRF guard: a webhook may not reach the operator's own network. Addresses refused unless
 * WEBHOOK_ALLOW_PRIVATE is set: private, loopback, link-local, unspecified, CGNAT, multicast and
 * reserved ranges, in IPv4, IPv6 and IPv4-mapped IPv6 forms.
 */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) REFUSED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) REFUSED.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address (v4, v6 or IPv4-mapped v6) lies in a refused range. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hexMapped) {
    const n = (parseInt(hexMapped[1]!, 16) << 16) | parseInt(hexMapped[2]!, 16);
    return isPrivateAddress([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  const family = isIP(address);
  if (family === 0) return true;
  return REFUSED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Refuses (400 naming `url`) anything but an absolute http(s) URL, and, unless allowed, a private address literal. */
export function assertWebhookUrl(raw: string, allowPrivate: boolean): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField('url', 'is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField('url', 'must be http or https');
  if (url.username || url.password) throw invalidField('url', 'must not carry credentials');
  const host = hostOf(url);
  if (!allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) throw invalidField('url', `${host} is a private, loopback or link-local address`);
}

/** The URL's host as an address or name, without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the host once; refuses if ANY of its addresses is private (unless allowed), so that a
 * name cannot mix a public and a private answer. The caller connects to the address returned,
 * never resolving again, so that DNS rebinding cannot swap it between check and connect.
 */
export async function resolveDeliveryAddress(host: string, allowPrivate: boolean): Promise<ResolvedAddress> {
  const found = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  if (found.length === 0) throw new Error(`${host} has no address`);
  if (!allowPrivate) {
    const refused = found.find((a) => isPrivateAddress(a.address));
    if (refused) throw new Error(`refused: ${host} resolves to ${refused.address}, a private, loopback or link-local address`);
  }
  const first = found[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
