import { expect } from 'chai';
import { requestHeaders } from '../../../domain/jobs/request-headers.ts';

describe('requestHeaders (what a job request carries besides the signature)', () => {
  const UA = 'Pulseboard-Cron/9.9.9';

  it('types a JSON body as application/json unless the job set a Content-Type (any case)', () => {
    expect(requestHeaders({ headers: {}, body: '{"from":"ui"}' }, UA)).to.deep.equal({ 'user-agent': UA, 'content-type': 'application/json' });
    expect(requestHeaders({ headers: {}, body: ' [1, 2]' }, UA)['content-type']).to.equal('application/json');
    expect(requestHeaders({ headers: { 'Content-Type': 'text/plain' }, body: '{"a":1}' }, UA)).to.deep.equal({ 'user-agent': UA, 'Content-Type': 'text/plain' });
  });

  it('leaves a body that is not a JSON object or array untyped, and a request without body too', () => {
    for (const body of ['a=1&b=2', '{not json', '42', '"text"', null]) expect(requestHeaders({ headers: {}, body }, UA)).to.deep.equal({ 'user-agent': UA });
  });

  it('always names Pulseboard in the User-Agent, whatever the job set', () => {
    expect(requestHeaders({ headers: { 'User-Agent': 'curl/8', 'X-Token': 't' }, body: null }, UA)).to.deep.equal({ 'user-agent': UA, 'X-Token': 't' });
  });
});
