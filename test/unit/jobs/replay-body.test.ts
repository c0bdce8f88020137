import { expect } from 'chai';
import { replayBody } from '../../../domain/jobs/replay.ts';

/** What a replay sends as its body, from the history's excerpt and the job's body now. */
describe('replayBody', () => {
  const EXCERPT = 8;

  it('sends a recorded body shorter than the excerpt as it is, whatever the job holds now', () => {
    expect(replayBody('{"a":1}', '{"b":2}', EXCERPT)).to.deep.equal({ ok: true, body: '{"a":1}' });
    expect(replayBody(null, 'now a body', EXCERPT)).to.deep.equal({ ok: true, body: null });
  });

  it('takes a body cut at the excerpt from the job while the job still begins with it, an exact fit included', () => {
    expect(replayBody('12345678', '1234567890', EXCERPT)).to.deep.equal({ ok: true, body: '1234567890' });
    expect(replayBody('12345678', '12345678', EXCERPT)).to.deep.equal({ ok: true, body: '12345678' });
  });

  it('refuses once the job’s body no longer begins with what was sent', () => {
    const answer = replayBody('12345678', 'changed', EXCERPT);
    expect(answer.ok).to.equal(false);
    expect(replayBody('12345678', null, EXCERPT).ok).to.equal(false);
  });
});
