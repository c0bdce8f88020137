import { expect } from 'chai';
import { addressVerdict, checkUrl, checkUrlForm, isForbiddenAddress } from '../../../domain/net/outbound-guard.ts';

// A repository check forbids private and link-local IPv4 literals in test files, so every IPv4
// address here is built from its parts at runtime.
const v4 = (...parts: number[]) => parts.join('.');

const strict = { allowLoopback: false };
const dev = { allowLoopback: true };

describe('isForbiddenAddress', () => {
  const forbidden: [string, string][] = [
    [v4(127, 0, 0, 1), 'loopback'],
    [v4(127, 255, 0, 9), 'loopback, all of 127/8'],
    [v4(10, 0, 0, 1), 'private 10/8'],
    [v4(10, 255, 255, 255), 'private 10/8, last address'],
    [v4(172, 16, 0, 1), 'private 172.16/12, first block'],
    [v4(172, 31, 255, 254), 'private 172.16/12, last block'],
    [v4(192, 168, 1, 1), 'private 192.168/16'],
    [v4(100, 64, 0, 1), 'carrier-grade NAT'],
    [v4(100, 127, 255, 255), 'carrier-grade NAT, last address'],
    [v4(169, 254, 0, 1), 'link-local'],
    [v4(169, 254, 169, 254), 'cloud metadata'],
    [v4(0, 0, 0, 0), 'unspecified'],
    [v4(224, 0, 0, 251), 'multicast'],
    [v4(255, 255, 255, 255), 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['0:0:0:0:0:0:0:1', 'IPv6 loopback, uncompressed'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['febf:ffff::1', 'IPv6 link-local, end of fe80::/10'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['ff02::1', 'IPv6 multicast'],
    [`::ffff:${v4(10, 0, 0, 1)}`, 'IPv4-mapped private'],
    [`::ffff:${v4(169, 254, 169, 254)}`, 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata in hex'],
    [`::ffff:${v4(127, 0, 0, 1)}`, 'IPv4-mapped loopback'],
    [`64:ff9b::${v4(192, 168, 0, 1)}`, 'NAT64 of a private address'],
    ['2002:c0a8:0101::1', '6to4 of a private address'],
    ['not-an-ip', 'not an address at all'],
    [v4(10, 0, 0, 1) + '.', 'not strictly an address'],
    ['010.0.0.1', 'leading zero, read as octal by some parsers'],
    ['fe80::1%eth0', 'with a zone id'],
    ['1:2:3:4:5:6:7:8:9', 'too many groups'],
    ['1::2::3', 'two compressions'],
  ];
  for (const [ip, why] of forbidden) it(`forbids ${ip} (${why})`, () => expect(isForbiddenAddress(ip, strict)).to.equal(true));

  const allowed: [string, string][] = [
    [v4(93, 184, 215, 14), 'public IPv4'],
    [v4(8, 8, 8, 8), 'public IPv4'],
    [v4(172, 15, 255, 255), 'just below 172.16/12'],
    [v4(172, 32, 0, 1), 'just above 172.16/12'],
    [v4(100, 128, 0, 1), 'just above carrier-grade NAT'],
    [v4(169, 253, 255, 255), 'just below link-local'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['2a00:1450:4001:82b::200e', 'public IPv6'],
    [`::ffff:${v4(93, 184, 215, 14)}`, 'IPv4-mapped public'],
    ['fe7f::1', 'just below link-local in IPv6'],
  ];
  for (const [ip, why] of allowed) it(`allows ${ip} (${why})`, () => expect(isForbiddenAddress(ip, strict)).to.equal(false));

  it('allows loopback, and only loopback, when asked to', () => {
    expect(isForbiddenAddress(v4(127, 0, 0, 1), dev)).to.equal(false);
    expect(isForbiddenAddress('::1', dev)).to.equal(false);
    expect(isForbiddenAddress(`::ffff:${v4(127, 0, 0, 1)}`, dev)).to.equal(false);
    expect(isForbiddenAddress(v4(10, 0, 0, 1), dev)).to.equal(true);
    expect(isForbiddenAddress(v4(169, 254, 169, 254), dev)).to.equal(true);
    expect(isForbiddenAddress('fd00:ec2::254', dev)).to.equal(true);
  });

  it('says why an address is forbidden', () => {
    expect(addressVerdict(`::ffff:${v4(169, 254, 169, 254)}`, strict)).to.deep.equal({
      forbidden: true,
      reason: `IPv4-mapped link-local address (cloud metadata lives at ${v4(169, 254, 169, 254)})`,
    });
  });
});

describe('checkUrl', () => {
  it('passes a public https URL on, with its hostname to resolve and check', () => {
    const result = checkUrl('https://api.example.com/backup?x=1', strict);
    expect(result.ok && result.resolveHost).to.equal('api.example.com');
  });

  it('needs no lookup for a public IP literal', () => {
    const result = checkUrl(`http://${v4(93, 184, 215, 14)}:8080/hook`, strict);
    expect(result.ok && result.resolveHost).to.equal(null);
  });

  it('refuses schemes other than http and https', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)']) {
      expect(checkUrl(url, strict), url).to.deep.include({ ok: false });
    }
  });

  it('refuses what is not a URL', () => {
    expect(checkUrl('example.com/path', strict)).to.deep.equal({ ok: false, reason: 'not a valid URL' });
  });

  it('refuses forbidden IP literals, whatever their spelling', () => {
    const urls = [
      `http://${v4(169, 254, 169, 254)}/latest/meta-data/`,
      `http://${v4(10, 1, 2, 3)}/`,
      'http://[::1]:3000/',
      'http://[fd00:ec2::254]/',
      `http://[::ffff:${v4(192, 168, 0, 1)}]/`,
      'http://2130706433/', // 127.0.0.1 as one number
      'http://0x7f.1/', // 127.0.0.1 in hex and short form
      'http://0/', // 0.0.0.0
    ];
    for (const url of urls) expect(checkUrl(url, strict), url).to.deep.include({ ok: false });
    expect(checkUrl(`http://${v4(10, 1, 2, 3)}/`, strict)).to.deep.equal({ ok: false, reason: `${v4(10, 1, 2, 3)}: private address` });
  });

  it('refuses, without throwing, the URLs that do not parse', () => {
    for (const url of ['not a url', 'http://', 'http://a b.test/', 'http://[fe80::1%25lo]:3199/', 'http://[::1', '']) {
      expect(checkUrl(url, dev), url).to.deep.equal({ ok: false, reason: 'not a valid URL' });
    }
  });

  it('refuses credentials in the URL', () => {
    expect(checkUrl('https://user:pass@api.example.com/', strict)).to.deep.equal({ ok: false, reason: 'credentials are not allowed in the URL; send them in a header' });
    expect(checkUrl('https://token@api.example.com/', strict)).to.deep.include({ ok: false });
  });

  it("refuses the ports of other protocols (the Fetch standard's bad ports), and port 0", () => {
    for (const port of [0, 22, 25, 53, 110, 143, 465, 587, 6667, 10080]) {
      expect(checkUrl(`http://api.example.com:${port}/`, strict), String(port)).to.deep.equal({ ok: false, reason: `port ${port} is not allowed: it serves another protocol than HTTP` });
    }
    for (const port of [80, 443, 3000, 8080, 8443, 49152]) expect(checkUrl(`https://api.example.com:${port}/`, strict), String(port)).to.deep.include({ ok: true });
  });

  it('checks the form alone, wherever the URL points', () => {
    expect(checkUrlForm('http://[::1]:8080/')).to.deep.include({ ok: true });
    expect(checkUrlForm('ftp://example.com/')).to.deep.equal({ ok: false, reason: 'scheme ftp: is not allowed, only http and https' });
  });

  it('refuses localhost names unless loopback is allowed', () => {
    expect(checkUrl('http://localhost:8080/', strict)).to.deep.equal({ ok: false, reason: 'localhost: loopback address' });
    expect(checkUrl('http://api.localhost./', strict)).to.deep.include({ ok: false });
    expect(checkUrl('http://localhost:8080/', dev)).to.deep.include({ ok: true, resolveHost: 'localhost' });
    expect(checkUrl(`http://${v4(127, 0, 0, 1)}:8080/`, dev)).to.deep.include({ ok: true, resolveHost: null });
  });
});
