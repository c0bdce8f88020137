import { expect } from 'chai';
import { mentionedPeople } from '../../../domain/board/mentions.ts';

describe('board: who an @mention names', () => {
  const people = [
    { id: 1, name: 'Ann' },
    { id: 2, name: 'Ann Lee' },
    { id: 3, name: 'Priya Shah' },
    { id: 4, name: 'Bo' },
  ];
  const ids = (body: string) => mentionedPeople(body, people).map((p) => p.id).sort();

  it('finds names with spaces, in any case, each person once', () => {
    expect(ids('@priya shah and @Priya Shah, can you look?')).to.deep.equal([3]);
  });

  it('takes the longest name at a spot, and the shorter one where it stands alone', () => {
    expect(ids('@Ann Lee please')).to.deep.equal([2]);
    expect(ids('@Ann Lee and @Ann')).to.deep.equal([1, 2]);
  });

  it('ignores a name that runs on into a longer word, and text without @', () => {
    expect(ids('@Bob is not Bo; Bo without the sign either')).to.deep.equal([]);
    expect(ids('thanks @Bo.')).to.deep.equal([4]);
  });
});
