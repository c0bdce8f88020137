import { expect } from 'chai';
import { expectedResponseSchema, unexpectedResponse } from '../../../domain/jobs/expected-response.ts';

describe('expected response (what a job calls success)', () => {
  const expected = (input: unknown) => expectedResponseSchema.parse(input);

  it('is any 2xx by default, and the chosen codes, ranges or classes otherwise', () => {
    expect(unexpectedResponse(expected({}), { statusCode: 204, body: '' })).to.equal(null);
    expect(unexpectedResponse(expected({}), { statusCode: 404, body: '' })).to.equal('HTTP 404');
    const some = expected({ statusCodes: ['200-202', '404', '3xx'] });
    for (const statusCode of [200, 202, 404, 301]) expect(unexpectedResponse(some, { statusCode, body: '' })).to.equal(null);
    expect(unexpectedResponse(some, { statusCode: 204, body: '' })).to.equal('HTTP 204, expected 200-202, 404, 3xx');
  });

  it('checks that the body contains a string, or that a JSON path equals a value, and says what it found', () => {
    expect(unexpectedResponse(expected({ bodyContains: 'OK' }), { statusCode: 200, body: 'all OK' })).to.equal(null);
    expect(unexpectedResponse(expected({ bodyContains: 'OK' }), { statusCode: 200, body: 'maintenance' })).to.equal('HTTP 200, but the body does not contain "OK"');
    const json = expected({ json: { path: '$.checks[0].healthy', equals: true } });
    expect(unexpectedResponse(json, { statusCode: 200, body: '{"checks":[{"healthy":true}]}' })).to.equal(null);
    expect(unexpectedResponse(json, { statusCode: 200, body: '{"checks":[{"healthy":false}]}' })).to.equal('HTTP 200, but $.checks[0].healthy is false, expected true');
    expect(unexpectedResponse(json, { statusCode: 200, body: '{}' })).to.equal('HTTP 200, but $.checks[0].healthy is nothing, expected true');
    expect(unexpectedResponse(json, { statusCode: 200, body: '<html>' })).to.match(/the body is not JSON/);
  });

  it('refuses status patterns and JSONPaths it cannot read', () => {
    expect(expectedResponseSchema.safeParse({ statusCodes: ['2x'] }).success).to.equal(false);
    expect(expectedResponseSchema.safeParse({ statusCodes: [] }).success).to.equal(false);
    expect(expectedResponseSchema.safeParse({ json: { path: 'checks.healthy', equals: true } }).success).to.equal(false);
  });
});
