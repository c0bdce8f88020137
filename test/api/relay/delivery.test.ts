import { expect } from 'chai';
import { publish, publishAll, publishTopics } from '../../../db/realtime/publish.ts';
import { testDb } from '../../support/app.ts';
import { freshBoard, publishCommitted, socketOpener, startRelayServer, testAccess, TestSocket, users, type RelayServer } from './support.ts';

describe('relay: delivery', () => {
  let api: RelayServer;
  const open = socketOpener(() => api.url);

  before(async () => {
    api = await startRelayServer(testAccess);
  });
  after(() => api.close());

  it('sends a committed event to the subscribed, authorised client and to no other', async () => {
    const board = freshBoard();
    const alice = await open(users.alice);
    const bob = await open(users.bob);
    const carol = await open(users.carol);
    // Bob and Carol follow their own topics: an event there, published after, shows that everything before it came.
    expect(await alice.subscribe(board)).to.deep.equal({ type: 'subscribed', topic: board, seq: 0 });
    carol.send({ type: 'subscribe', topic: board });
    expect(await carol.next({ type: 'error' })).to.include({ topic: board, code: 'forbidden' });
    await bob.subscribe(`user:${users.bob.id}`);
    await carol.subscribe(`user:${users.carol.id}`);

    const seq = await publishCommitted(board, 'card.moved', { cardId: 7, to: 'done' });
    expect(await alice.next({ type: 'event' })).to.deep.equal({ type: 'event', topic: board, seq, event: 'card.moved', data: { cardId: 7, to: 'done' } });

    await publishCommitted(`user:${users.bob.id}`, 'marker', {});
    await publishCommitted(`user:${users.carol.id}`, 'marker', {});
    await bob.next({ type: 'event', event: 'marker' });
    await carol.next({ type: 'event', event: 'marker' });
    expect(bob.seen({ topic: board })).to.deep.equal([]);
    expect(carol.seen({ type: 'event', topic: board })).to.deep.equal([]);
  });

  it('announces nothing for a rolled-back transaction', async () => {
    const board = freshBoard();
    const alice = await open(users.alice);
    await alice.subscribe(board);
    await testDb()
      .transaction(async (trx) => {
        await publish(trx, board, 'card.created', { title: 'never' });
        throw new Error('roll back');
      })
      .catch(() => {});
    const seq = await publishCommitted(board, 'card.created', { title: 'kept' });
    const event = await alice.next({ type: 'event' });
    expect(event).to.include({ seq, event: 'card.created' });
    expect(event.data).to.deep.equal({ title: 'kept' });
    expect(seq).to.equal(1);
  });

  it('delivers events published together in their order, each with its own seq, a large one whole', async () => {
    const board = freshBoard();
    const alice = await open(users.alice);
    await alice.subscribe(board);
    await publishCommitted(board, 'card.created', { cardId: 1 });
    const cards = Array.from({ length: 400 }, (_, i) => ({ id: i, title: `Card number ${i} with a long enough title` }));
    const seqs = await testDb().transaction((trx) =>
      publishAll(trx, board, [
        { event: 'card.moved', data: { cardId: 1 } },
        { event: 'board.replaced', data: { cards } },
        { event: 'card.moved', data: { cardId: 2 } },
      ]),
    );
    expect(seqs).to.deep.equal([2, 3, 4]);
    const received = [await alice.next({ type: 'event' }), await alice.next({ type: 'event' }), await alice.next({ type: 'event' }), await alice.next({ type: 'event' })];
    expect(received.map((m) => [m.seq, m.event])).to.deep.equal([[1, 'card.created'], [2, 'card.moved'], [3, 'board.replaced'], [4, 'card.moved']]);
    expect(received[2].data).to.deep.equal({ cards });
    expect(received[3].data).to.deep.equal({ cardId: 2 });
  });

  it('delivers events published to several topics at once in the order given, each topic in its own seqs', async () => {
    const [first, second] = [freshBoard(), freshBoard()];
    const alice = await open(users.alice);
    await alice.subscribe(first);
    await alice.subscribe(second);
    await publishCommitted(second, 'card.created', { cardId: 1 });
    const seqs = await testDb().transaction((trx) =>
      publishTopics(trx, [
        { topic: second, events: [{ event: 'card.moved', data: { n: 1 } }] },
        { topic: first, events: [{ event: 'card.moved', data: { n: 2 } }, { event: 'card.moved', data: { n: 3 } }] },
        // A topic named twice (a technician who is also a party) continues its own seqs.
        { topic: second, events: [{ event: 'card.moved', data: { n: 4 } }] },
      ]),
    );
    expect(seqs).to.deep.equal([[2], [1, 2], [3]]);
    const received = [];
    for (let i = 0; i < 5; i++) received.push(await alice.next({ type: 'event' }));
    expect(received.map((m) => [m.topic, m.seq, m.data.n ?? 0])).to.deep.equal([
      [second, 1, 0],
      [second, 2, 1],
      [first, 1, 2],
      [first, 2, 3],
      [second, 3, 4],
    ]);
  });

  it('answers a forbidden subscription with an error and keeps the socket usable', async () => {
    const carol = await open(users.carol);
    carol.send({ type: 'subscribe', topic: 'user:u-alice' });
    expect(await carol.next({ type: 'error' })).to.deep.equal({
      type: 'error',
      topic: 'user:u-alice',
      code: 'forbidden',
      message: 'You may not subscribe to user:u-alice.',
    });
    expect(await carol.subscribe('user:u-carol')).to.include({ type: 'subscribed' });
  });

  it('delivers an event larger than NOTIFY allows, whole', async () => {
    const board = freshBoard();
    const alice = await open(users.alice);
    await alice.subscribe(board);
    const cards = Array.from({ length: 400 }, (_, i) => ({ id: i, title: `Card number ${i} with a long enough title` }));
    expect(JSON.stringify(cards).length).to.be.greaterThan(16_000);
    await publishCommitted(board, 'board.replaced', { cards });
    await publishCommitted(board, 'card.moved', { cardId: 1 });
    const first = await alice.next({ type: 'event' });
    const second = await alice.next({ type: 'event' });
    expect(first).to.include({ seq: 1, event: 'board.replaced' });
    expect(first.data).to.deep.equal({ cards });
    expect(second).to.include({ seq: 2, event: 'card.moved' });
  });

  it('refuses an upgrade without credentials with 401', async () => {
    const refused = await TestSocket.open(api.url, null).then(
      () => null,
      (error: Error) => error,
    );
    expect(refused?.message).to.contain('401');
  });

  it('delivers on every API process listening on the same database', async () => {
    const other = await startRelayServer(testAccess);
    try {
      const board = freshBoard();
      const alice = await open(users.alice);
      const bob = await open(users.bob, other.url);
      await alice.subscribe(board);
      await bob.subscribe(board);
      const seq = await publishCommitted(board, 'card.moved', { cardId: 3 });
      expect(await alice.next({ type: 'event' })).to.include({ seq, topic: board });
      expect(await bob.next({ type: 'event' })).to.include({ seq, topic: board });
    } finally {
      await other.close();
    }
  });

  it('after its listening connection is cut, sends what was published meanwhile', async () => {
    const board = freshBoard();
    const alice = await open(users.alice);
    await alice.subscribe(board);
    const pid = api.relay.listenerPid;
    expect(pid).to.be.a('number');
    await testDb().raw('select pg_terminate_backend(?)', [pid]);
    await publishCommitted(board, 'card.moved', { n: 1 });
    await publishCommitted(board, 'card.moved', { n: 2 });
    const events = [await alice.next({ type: 'event' }), await alice.next({ type: 'event' })];
    expect(events.map((event) => [event.seq, event.data.n])).to.deep.equal([[1, 1], [2, 2]]);
    expect(api.relay.listenerPid).to.be.a('number').and.not.equal(pid);
  });
});

describe('relay: a socket that does not read', () => {
  it('is dropped once too much waits for it, while the others get every event', async () => {
    const api = await startRelayServer(testAccess, { maxBufferedBytes: 256 * 1024 });
    try {
      const board = freshBoard();
      const reader = await TestSocket.open(api.url, users.alice);
      const stalled = await TestSocket.open(api.url, users.bob);
      await reader.subscribe(board);
      await stalled.subscribe(board);
      // The stalled client stops reading from the network, as a frozen tab would.
      (stalled.ws as unknown as { _socket: { pause: () => void } })._socket.pause();
      const bulk = { rows: 'x'.repeat(200_000) };
      let published = 0;
      while (api.relay.clientCount === 2 && published < 400) {
        published = await publishCommitted(board, 'board.replaced', bulk);
        await reader.next({ type: 'event', seq: published });
      }
      expect(api.relay.clientCount).to.equal(1);
      expect(reader.seen({ type: 'event' }).map((event) => event.seq)).to.deep.equal(Array.from({ length: published }, (_, i) => i + 1));
      reader.close();
      stalled.ws.terminate();
    } finally {
      await api.close();
    }
  });
});
