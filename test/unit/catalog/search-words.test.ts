import { expect } from 'chai';
import { MAX_SEARCH_WORDS, searchWordsOf } from '../../../domain/catalog/search-words.ts';

describe('search words', () => {
  it('keeps letters and digits of each word, lower case, each once', () => {
    expect(searchWordsOf("  Plumb O'Brien & (tap:* tap 24h Ölwechsel ")).to.deep.equal(['plumb', 'o', 'brien', 'tap', '24h', 'ölwechsel']);
  });

  it('has no words in punctuation alone, and stops after the last word that can narrow', () => {
    expect(searchWordsOf('!!! --- ')).to.deep.equal([]);
    expect(searchWordsOf(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))).to.have.length(MAX_SEARCH_WORDS);
  });
});
