import { expect } from 'chai';
import { freshBoard, publishCommitted, startRelayServer, testAccess, TestSocket, users, type RelayServer } from './support.ts';

describe('relay: client messages', () => {
  let api: RelayServer;
  let socket: TestSocket;

  before(async () => {
    api = await startRelayServer(testAccess);
  });
  beforeEach(async () => {
    socket = await TestSocket.open(api.url, users.alice);
  });
  afterEach(() => socket.close());
  after(() => api.close());

  it('answers ping with pong', async () => {
    socket.send({ type: 'ping' });
    expect(await socket.next()).to.deep.equal({ type: 'pong' });
  });

  it('answers malformed messages with errors and keeps serving the socket', async () => {
    socket.send('{"type": "subscribe", ');
    expect(await socket.next()).to.deep.equal({ type: 'error', code: 'bad-json', message: 'The message is not valid JSON.' });

    socket.send({ type: 'dance' });
    expect(await socket.next()).to.include({ type: 'error', code: 'invalid-message' });

    socket.send({ type: 'subscribe', topic: 'secrets:1' });
    const badTopic = await socket.next();
    expect(badTopic).to.include({ type: 'error', code: 'invalid-message', topic: 'secrets:1' });
    expect(badTopic.message).to.contain('topic');

    socket.send({ type: 'subscribe', topic: freshBoard(), since: -3 });
    expect(await socket.next()).to.include({ type: 'error', code: 'invalid-message' });

    socket.send('null');
    expect(await socket.next()).to.include({ type: 'error', code: 'invalid-message' });

    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await socket.next()).to.include({ type: 'error', code: 'invalid-message', message: 'Messages are JSON text frames.' });

    socket.send({ type: 'ping' });
    expect(await socket.next()).to.deep.equal({ type: 'pong' });
  });

  it('closes a socket that sends a message larger than the relay accepts', async () => {
    socket.send({ type: 'ping', padding: 'x'.repeat(64 * 1024) });
    expect((await socket.closed).code).to.equal(1009);
  });

  it('refuses presence on a topic the socket does not follow', async () => {
    const board = freshBoard();
    socket.send({ type: 'presence', topic: board });
    expect(await socket.next()).to.include({ type: 'error', code: 'not-subscribed', topic: board });
  });

  it('stops sending a topic after unsubscribe', async () => {
    const board = freshBoard();
    await socket.subscribe(board);
    socket.send({ type: 'unsubscribe', topic: board });
    // Messages are handled in order: the pong comes after the unsubscribe took effect.
    socket.send({ type: 'ping' });
    await socket.next({ type: 'pong' });
    await publishCommitted(board, 'card.moved', {});
    await socket.subscribe(`user:${users.alice.id}`);
    await publishCommitted(`user:${users.alice.id}`, 'marker', {});
    await socket.next({ type: 'event', event: 'marker' });
    expect(socket.seen({ type: 'event', topic: board })).to.deep.equal([]);
  });
});
