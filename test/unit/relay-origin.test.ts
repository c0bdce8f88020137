import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import { isAllowedOrigin } from '../../api/realtime/origin.ts';

const upgrade = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('relay upgrade origin', () => {
  it('accepts our own pages, by the request host or the public URL, and clients that send no origin', () => {
    expect(isAllowedOrigin(upgrade({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }), undefined)).to.equal(true);
    expect(isAllowedOrigin(upgrade({ host: 'api-1:3000', origin: 'https://app.example.test' }), 'https://app.example.test')).to.equal(true);
    expect(isAllowedOrigin(upgrade({ host: '127.0.0.1:3000' }), undefined)).to.equal(true);
  });

  it('refuses another site’s page, which would ride on the visitor’s session cookie', () => {
    expect(isAllowedOrigin(upgrade({ host: '127.0.0.1:3000', origin: 'https://evil.example.test' }), undefined)).to.equal(false);
    expect(isAllowedOrigin(upgrade({ host: 'api-1:3000', origin: 'https://evil.example.test' }), 'https://app.example.test')).to.equal(false);
    expect(isAllowedOrigin(upgrade({ host: '127.0.0.1:3000', origin: 'not a url' }), undefined)).to.equal(false);
  });
});
