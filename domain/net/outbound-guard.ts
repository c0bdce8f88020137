/**
 * Which hosts a job's HTTP request may reach. Jobs call URLs that customers type in, so without
 * this a job could read the cloud metadata service or poke at our own private network (SSRF).
 * Pure decisions only: the activity resolves the hostname, checks every address with
 * isForbiddenAddress, and connects to the address it checked (not a second lookup, which DNS
 * rebinding could point elsewhere).
 */
import { inPrefix, parseIPv4, parseIPv6 } from './ip-address.ts';

export interface GuardOptions {
  /** Loopback is allowed in development and tests, where the job targets run on this machine. */
  allowLoopback: boolean;
}

interface Range {
  prefix: number[];
  bits: number;
  reason: string;
  loopback?: true;
}

function range(cidr: string, reason: string, loopback?: true): Range {
  const [address, bits] = cidr.split('/');
  const prefix = address.includes(':') ? parseIPv6(address) : parseIPv4(address);
  if (!prefix) throw new Error(`bad range ${cidr}`);
  return { prefix, bits: Number(bits), reason, loopback };
}

const IPV4_FORBIDDEN = [
  range('0.0.0.0/8', 'unspecified ("this network") address'),
  range('10.0.0.0/8', 'private address'),
  range('100.64.0.0/10', 'carrier-grade NAT address'),
  range('127.0.0.0/8', 'loopback address', true),
  range('169.254.0.0/16', 'link-local address (cloud metadata lives at 169.254.169.254)'),
  range('172.16.0.0/12', 'private address'),
  range('192.0.0.0/24', 'IETF protocol assignment address'),
  range('192.168.0.0/16', 'private address'),
  range('198.18.0.0/15', 'benchmarking address'),
  range('224.0.0.0/4', 'multicast address'),
  range('240.0.0.0/4', 'reserved or broadcast address'),
];

const IPV6_FORBIDDEN = [
  range('::/128', 'unspecified address'),
  range('::1/128', 'loopback address', true),
  range('fe80::/10', 'link-local address'),
  range('fec0::/10', 'site-local address'),
  range('fc00::/7', 'unique local address (cloud metadata lives at fd00:ec2::254)'),
  range('ff00::/8', 'multicast address'),
];

/** IPv6 forms that carry an IPv4 address, which is what the packets really reach; byte offset of the IPv4 part. */
const IPV6_EMBEDDING_IPV4 = [
  { ...range('::ffff:0:0/96', 'IPv4-mapped'), at: 12 },
  { ...range('::/96', 'IPv4-compatible'), at: 12 },
  { ...range('64:ff9b::/96', 'NAT64'), at: 12 },
  { ...range('2002::/16', '6to4'), at: 2 },
];

export type AddressVerdict = { forbidden: false } | { forbidden: true; reason: string };

export function addressVerdict(ip: string, options: GuardOptions): AddressVerdict {
  const v4 = parseIPv4(ip);
  if (v4) return verdictFor(IPV4_FORBIDDEN.find((r) => inPrefix(v4, r.prefix, r.bits)), options);
  const v6 = parseIPv6(ip);
  if (!v6) return { forbidden: true, reason: 'not an IP address' };
  // ::1 also lies in the IPv4-compatible ::/96, so the IPv6 ranges decide first.
  const own = IPV6_FORBIDDEN.find((r) => inPrefix(v6, r.prefix, r.bits));
  if (own) return verdictFor(own, options);
  const embedding = IPV6_EMBEDDING_IPV4.find((r) => inPrefix(v6, r.prefix, r.bits));
  if (!embedding) return { forbidden: false };
  const inner = addressVerdict(v6.slice(embedding.at, embedding.at + 4).join('.'), options);
  return inner.forbidden ? { forbidden: true, reason: `${embedding.reason} ${inner.reason}` } : inner;
}

export function isForbiddenAddress(ip: string, options: GuardOptions): boolean {
  return addressVerdict(ip, options).forbidden;
}

function verdictFor(hit: Range | undefined, options: GuardOptions): AddressVerdict {
  if (!hit || (hit.loopback && options.allowLoopback)) return { forbidden: false };
  return { forbidden: true, reason: hit.reason };
}

export type UrlCheck =
  | { ok: true; url: URL; /** The hostname to resolve and check before connecting; null for a literal IP, already checked. */ resolveHost: string | null }
  | { ok: false; reason: string };

/**
 * Ports of protocols other than HTTP (mail, SSH, DNS, ...): the Fetch standard's "bad ports",
 * which browsers refuse too, so a request cannot be aimed at another kind of server.
 */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139,
  143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659,
  4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080,
]);

export type UrlFormCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** What a target URL must be wherever it points: one that parses, http or https, no credentials, an HTTP port. */
export function checkUrlForm(text: string): UrlFormCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol} is not allowed, only http and https` };
  if (url.username || url.password) return { ok: false, reason: 'credentials are not allowed in the URL; send them in a header' };
  if (url.port && BAD_PORTS.has(Number(url.port))) return { ok: false, reason: `port ${url.port} is not allowed: it serves another protocol than HTTP` };
  return { ok: true, url };
}

/**
 * The checks a URL can pass before any DNS: its form (checkUrlForm), and the host when it is an
 * IP literal or localhost. What a name resolves to is checked when the request is sent.
 */
export function checkUrl(text: string, options: GuardOptions): UrlCheck {
  const form = checkUrlForm(text);
  if (!form.ok) return form;
  const { url } = form;

  // WHATWG URL parsing already turned 0x7f.1, 2130706433 and friends into dotted IPv4.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (parseIPv4(host) || host.includes(':')) {
    const verdict = addressVerdict(host, options);
    return verdict.forbidden ? { ok: false, reason: `${host}: ${verdict.reason}` } : { ok: true, url, resolveHost: null };
  }
  // RFC 6761: localhost names always resolve to loopback.
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return options.allowLoopback ? { ok: true, url, resolveHost: host } : { ok: false, reason: `${host}: loopback address` };
  }
  return { ok: true, url, resolveHost: host };
}
