import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { securityHeaders } from '../../../api/http/security-headers.ts';

describe('security headers', () => {
  const appFor = (production: boolean) => express().use(securityHeaders(production)).get('/', (_req, res) => void res.send('ok'));

  it('add HSTS and upgrade requests to https in production only', async () => {
    const production = await request(appFor(true)).get('/').expect(200);
    expect(production.headers['strict-transport-security']).to.match(/max-age=31536000; includeSubDomains/);
    expect(production.headers['content-security-policy']).to.contain('upgrade-insecure-requests');
    const development = await request(appFor(false)).get('/').expect(200);
    expect(development.headers['strict-transport-security']).to.equal(undefined);
    expect(development.headers['content-security-policy']).not.to.contain('upgrade-insecure-requests');
  });

  it('allow scripts and styles from this origin only, no framing, no plugins', async () => {
    const csp = String((await request(appFor(true)).get('/')).headers['content-security-policy']);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).to.include({ 'script-src': "'self'", 'style-src': "'self'", 'frame-ancestors': "'none'", 'object-src': "'none'", 'script-src-attr': "'none'" });
  });
});
