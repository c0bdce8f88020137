import { expect } from 'chai';
import { pruneEvents } from '../../../db/realtime/prune.ts';
import { testDb } from '../../support/app.ts';
import { freshBoard, publishCommitted, socketOpener, startRelayServer, testAccess, users, type RelayServer } from './support.ts';

describe('relay: resuming after a reconnect', () => {
  let api: RelayServer;
  const openAs = socketOpener(() => api.url);
  const open = () => openAs(users.alice);

  before(async () => {
    api = await startRelayServer(testAccess, { replayLimit: 5 });
  });
  after(() => api.close());

  it('sends exactly the events missed since the last seq, in order, then live ones', async () => {
    const board = freshBoard();
    const first = await open();
    await first.subscribe(board);
    for (const n of [1, 2]) await publishCommitted(board, 'card.moved', { n });
    const lastSeen = (await first.next({ type: 'event', seq: 2 })).seq;
    first.close();
    await first.closed;

    for (const n of [3, 4, 5]) await publishCommitted(board, 'card.moved', { n });
    const again = await open();
    expect(await again.subscribe(board, lastSeen)).to.deep.equal({ type: 'subscribed', topic: board, seq: 5 });
    await publishCommitted(board, 'card.moved', { n: 6 });
    await again.next({ type: 'event', seq: 6 });
    const events = again.seen({ type: 'event' }).map((event) => [event.seq, event.data.n]);
    expect(events).to.deep.equal([[3, 3], [4, 4], [5, 5], [6, 6]]);
    expect(again.seen({ type: 'resync' })).to.deep.equal([]);
  });

  it('sends nothing old to a client that saw everything', async () => {
    const board = freshBoard();
    await publishCommitted(board, 'card.moved', { n: 1 });
    const socket = await open();
    await socket.subscribe(board, 1);
    await publishCommitted(board, 'card.moved', { n: 2 });
    await socket.next({ type: 'event', seq: 2 });
    expect(socket.seen({ type: 'event' }).map((event) => event.seq)).to.deep.equal([2]);
  });

  it('tells a client that missed more than the backlog to resync, then goes on live', async () => {
    const board = freshBoard();
    for (let n = 1; n <= 8; n += 1) await publishCommitted(board, 'card.moved', { n });
    const socket = await open();
    await socket.subscribe(board, 1);
    expect(await socket.next({ type: 'resync' })).to.deep.equal({ type: 'resync', topic: board });
    await publishCommitted(board, 'card.moved', { n: 9 });
    await socket.next({ type: 'event', seq: 9 });
    expect(socket.seen({ type: 'event' }).map((event) => event.seq)).to.deep.equal([9]);
  });

  it('tells a client to resync when the events it missed were pruned', async () => {
    const board = freshBoard();
    for (let n = 1; n <= 4; n += 1) await publishCommitted(board, 'card.moved', { n });
    expect(await pruneEvents(testDb(), { keepPerTopic: 2, maxAgeSeconds: 3600 })).to.be.greaterThan(0);
    const remaining = await testDb()('realtime_events').where({ topic: board }).orderBy('seq').pluck('seq');
    expect(remaining).to.deep.equal([3, 4]);

    const behind = await open();
    await behind.subscribe(board, 1);
    await behind.next({ type: 'resync', topic: board });
    const close = await open();
    await close.subscribe(board, 2);
    await publishCommitted(board, 'card.moved', { n: 5 });
    await close.next({ type: 'event', seq: 5 });
    expect(close.seen({ type: 'event' }).map((event) => event.seq)).to.deep.equal([3, 4, 5]);
    expect(close.seen({ type: 'resync' })).to.deep.equal([]);
  });

  it('tells a client whose seq is ahead of the topic (another database) to resync', async () => {
    const board = freshBoard();
    await publishCommitted(board, 'card.moved', { n: 1 });
    const socket = await open();
    await socket.subscribe(board, 40);
    await socket.next({ type: 'resync', topic: board });
  });
});
