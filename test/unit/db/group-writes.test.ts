import { expect } from 'chai';
import { groupWrites } from '../../../db/group-writes.ts';

describe('groupWrites', () => {
  it('writes what is asked in the same turn together, and answers each caller with its own item', async () => {
    const calls: number[][] = [];
    const write = groupWrites(async (items: number[]) => {
      calls.push(items);
      return items.map((n) => n * 10);
    }, { gatherTurn: true });
    expect(await Promise.all([write(1), write(2), write(3)])).to.deep.equal([10, 20, 30]);
    expect(calls).to.deep.equal([[1, 2, 3]]);
  });

  it('groups what is asked while a write runs into the next one, one write at a time', async () => {
    const calls: number[][] = [];
    let running = 0;
    let overlapped = false;
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const write = groupWrites(async (items: number[]) => {
      overlapped ||= running > 0;
      running += 1;
      calls.push(items);
      if (calls.length === 1) await firstHeld;
      running -= 1;
      return items;
    }, { gatherTurn: true });
    const first = write(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [write(2), write(3)];
    release();
    expect(await Promise.all([first, ...later])).to.deep.equal([1, 2, 3]);
    expect(calls).to.deep.equal([[1], [2, 3]]);
    expect(overlapped).to.equal(false);
  });

  it('fails every item of a failed write, and goes on writing the next ones', async () => {
    let fail = true;
    const write = groupWrites(async (items: string[]) => {
      if (fail) throw new Error('deadlock detected');
      return items;
    }, { gatherTurn: true });
    const failed = await Promise.allSettled([write('a'), write('b')]);
    expect(failed.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    fail = false;
    expect(await write('c')).to.equal('c');
  });

  it('writes at once when idle unless asked to gather the turn, and carries at most maxItems a write', async () => {
    const calls: number[][] = [];
    const write = groupWrites(async (items: number[]) => (calls.push(items), items), { maxItems: 2 });
    expect(await Promise.all([write(1), write(2), write(3), write(4), write(5)])).to.deep.equal([1, 2, 3, 4, 5]);
    expect(calls).to.deep.equal([[1], [2, 3], [4, 5]]);
  });

  it('with retryAlone, writes the items of a failed write one by one, so only the bad one fails', async () => {
    const calls: string[][] = [];
    const write = groupWrites(
      async (items: string[]) => {
        calls.push(items);
        if (items.includes('bad')) throw new Error('foreign key');
        return items.map((item) => item.toUpperCase());
      },
      { gatherTurn: true, retryAlone: true },
    );
    const results = await Promise.allSettled([write('a'), write('bad'), write('c')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).to.deep.equal(['A', 'rejected', 'C']);
    expect(calls).to.deep.equal([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
