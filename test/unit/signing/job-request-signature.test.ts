import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { jobSignatureHeader, verifyJobSignature } from '../../../domain/signing/job-request-signature.ts';
import { previousValidUntil, signingSecretsNow, SIGNING_SECRET_OVERLAP_MS } from '../../../domain/jobs/signing-overlap.ts';

const request = { method: 'post', url: 'https://api.example.com/backup?full=1', body: Buffer.from('{"full":true}') };
const now = new Date();
const t = Math.floor(now.getTime() / 1000);
const check = { toleranceSeconds: 300, now };

describe('job request signature (v2: method, URL, timestamp and body hash)', () => {
  it('verifies with any secret it was signed with, and fails on another method, URL, body, secret or an old timestamp', () => {
    const header = jobSignatureHeader(request, t, ['whsec_new', 'whsec_old']);
    expect(header).to.match(/^t=\d+,v2=[0-9a-f]{64},v2=[0-9a-f]{64}$/);
    expect(verifyJobSignature(header, request, 'whsec_new', check)).to.deep.equal({ ok: true });
    expect(verifyJobSignature(header, request, 'whsec_old', check)).to.deep.equal({ ok: true });
    expect(verifyJobSignature(header, { ...request, method: 'PUT' }, 'whsec_new', check)).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifyJobSignature(header, { ...request, url: 'https://api.example.com/backup' }, 'whsec_new', check)).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifyJobSignature(header, { ...request, body: Buffer.from('{}') }, 'whsec_new', check)).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifyJobSignature(header, request, 'whsec_other', check)).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifyJobSignature(jobSignatureHeader(request, t - 600, ['whsec_new']), request, 'whsec_new', check)).to.deep.equal({ ok: false, reason: 'expired' });
    expect(verifyJobSignature('t=1,v1=abc', request, 'whsec_new', check)).to.deep.equal({ ok: false, reason: 'malformed' });
  });

  it('signs with the previous secret too for the stated overlap after a rotation, then with the new one only', () => {
    const rotatedAt = new Date(now.getTime() - 60_000);
    expect(signingSecretsNow({ current: 'new', previous: 'old', rotatedAt }, now)).to.deep.equal(['new', 'old']);
    expect(previousValidUntil({ previous: 'old', rotatedAt }, now)?.getTime()).to.equal(rotatedAt.getTime() + SIGNING_SECRET_OVERLAP_MS);
    const later = new Date(rotatedAt.getTime() + SIGNING_SECRET_OVERLAP_MS + 1);
    expect(signingSecretsNow({ current: 'new', previous: 'old', rotatedAt }, later)).to.deep.equal(['new']);
    expect(signingSecretsNow({ current: 'new', previous: null, rotatedAt }, now)).to.deep.equal(['new']);
  });

  it('is verified by the Python snippet docs/api-jobs.md gives receivers', function () {
    const doc = readFileSync(new URL('../../../docs/api-jobs.md', import.meta.url), 'utf8');
    const snippet = /```python\n([\s\S]*?)```/.exec(doc)![1];
    // Signed now: the snippet checks the timestamp against its own clock (the suite may have loaded this file minutes ago).
    const header = jobSignatureHeader(request, Math.floor(Date.now() / 1000), ['whsec_new', 'whsec_old']);
    const run = (secret: string, url = request.url) => {
      const call = `\nimport sys\nprint(verify_pulseboard_signature(${JSON.stringify(request.method)}, ${JSON.stringify(url)}, ${JSON.stringify(request.body.toString())}.encode(), ${JSON.stringify(header)}, ${JSON.stringify(secret)}))`;
      try {
        return execFileSync('python3', ['-c', snippet + call], { encoding: 'utf8' }).trim();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
        throw error;
      }
    };
    expect([run('whsec_new'), run('whsec_old'), run('whsec_other'), run('whsec_new', 'https://evil.example/')]).to.deep.equal(['True', 'True', 'False', 'False']);
  });
});
