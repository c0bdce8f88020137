import { expect } from 'chai';
import { findControlCharacter } from '../../../domain/text/control-characters.ts';

describe('findControlCharacter', () => {
  it('allows tab, line feed, carriage return, emoji and any other text', () => {
    expect(findControlCharacter({ a: 'one\ttwo\r\nthree', b: ['😀', 'ä\u007f'], c: 1, d: null })).to.equal(null);
  });

  it('names the first value or key carrying NUL or another C0 control, by its dotted path', () => {
    expect(findControlCharacter({ items: [{ title: 'ok' }, { title: 'a\u0000' }] })).to.deep.equal({ path: 'items.1.title', codePoint: 'U+0000' });
    expect(findControlCharacter({ headers: { 'X-\u001b': 'v' } })).to.deep.equal({ path: 'headers.X-\u001b', codePoint: 'U+001B' });
    expect(findControlCharacter('\u000b', ['query', 'q'])).to.deep.equal({ path: 'query.q', codePoint: 'U+000B' });
  });

  it('names half a surrogate pair (PostgreSQL refuses it in jsonb), and lets whole pairs pass', () => {
    expect(findControlCharacter({ name: 'a\ud800' })).to.deep.equal({ path: 'name', codePoint: 'U+D800' });
    expect(findControlCharacter({ name: '\udc00b' })).to.deep.equal({ path: 'name', codePoint: 'U+DC00' });
    expect(findControlCharacter({ name: '\ud83d\ude00 \ud800\udc00' })).to.equal(null);
  });

  it('walks any depth without overflowing the stack', () => {
    let deep: unknown = 'x\u0001';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findControlCharacter(deep)?.codePoint).to.equal('U+0001');
  });
});
