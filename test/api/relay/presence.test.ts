import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freshBoard, socketOpener, startRelayServer, testAccess, users, type RelayServer } from './support.ts';

const alice = { userId: users.alice.id, name: 'Alice' };
const bob = { userId: users.bob.id, name: 'Bob' };

describe('relay: presence', () => {
  let api: RelayServer;
  const open = socketOpener(() => api.url);

  before(async () => {
    api = await startRelayServer(testAccess);
  });
  after(() => api.close());

  it('shows who joins, what they edit, and who leaves, to the others on the topic', async () => {
    const board = freshBoard();
    const watcher = await open(users.bob);
    await watcher.subscribe(board);
    expect(await watcher.next({ type: 'presence' })).to.deep.equal({ type: 'presence', topic: board, viewers: [{ ...bob, editing: null }] });

    const editor = await open(users.alice);
    await editor.subscribe(board);
    expect((await watcher.next({ type: 'presence' })).viewers).to.deep.equal([{ ...alice, editing: null }, { ...bob, editing: null }]);

    editor.send({ type: 'presence', topic: board, editing: 'card:12' });
    expect((await watcher.next({ type: 'presence' })).viewers).to.deep.equal([{ ...alice, editing: 'card:12' }, { ...bob, editing: null }]);
    editor.send({ type: 'presence', topic: board, editing: null });
    expect((await watcher.next({ type: 'presence' })).viewers).to.deep.equal([{ ...alice, editing: null }, { ...bob, editing: null }]);

    editor.send({ type: 'unsubscribe', topic: board });
    expect((await watcher.next({ type: 'presence' })).viewers).to.deep.equal([{ ...bob, editing: null }]);
  });

  it('gives a new subscriber the viewers already there, after its subscription', async () => {
    const board = freshBoard();
    const editor = await open(users.alice);
    await editor.subscribe(board);
    editor.send({ type: 'presence', topic: board, editing: 'title' });
    await editor.next({ type: 'presence', viewers: [{ ...alice, editing: 'title' }] });
    const late = await open(users.bob);
    await late.subscribe(board);
    expect(await late.next({ type: 'presence' })).to.deep.equal({ type: 'presence', topic: board, viewers: [{ ...alice, editing: 'title' }, { ...bob, editing: null }] });
  });

  it('keeps what a viewer edits when they subscribe again with since', async () => {
    const board = freshBoard();
    const watcher = await open(users.bob);
    await watcher.subscribe(board);
    const editor = await open(users.alice);
    await editor.subscribe(board);
    editor.send({ type: 'presence', topic: board, editing: 'card:3' });
    await watcher.next({ type: 'presence', viewers: [{ ...alice, editing: 'card:3' }, { ...bob, editing: null }] });
    await editor.subscribe(board, 0);
    expect((await watcher.next({ type: 'presence' })).viewers).to.deep.equal([{ ...alice, editing: 'card:3' }, { ...bob, editing: null }]);
  });

  it('clears a viewer when the socket closes', async () => {
    const board = freshBoard();
    const watcher = await open(users.bob);
    await watcher.subscribe(board);
    const editor = await open(users.alice);
    await editor.subscribe(board);
    editor.send({ type: 'presence', topic: board, editing: 'card:1' });
    await watcher.next({ type: 'presence', viewers: [{ ...alice, editing: 'card:1' }, { ...bob, editing: null }] });
    editor.close();
    expect(await watcher.next({ type: 'presence' })).to.deep.equal({ type: 'presence', topic: board, viewers: [{ ...bob, editing: null }] });
  });

  it('drops a socket that stops answering pings, and its presence with it', async () => {
    const quick = await startRelayServer(testAccess, { heartbeatMs: 50 });
    try {
      const board = freshBoard();
      const watcher = await open(users.bob, quick.url);
      await watcher.subscribe(board);
      const silent = await open(users.alice, quick.url, { autoPong: false });
      await silent.subscribe(board);
      await watcher.next({ type: 'presence', viewers: [{ ...alice, editing: null }, { ...bob, editing: null }] });
      await watcher.next({ type: 'presence', viewers: [{ ...bob, editing: null }] });
      expect((await silent.closed).code).to.equal(1006);
      expect(watcher.ws.readyState).to.equal(watcher.ws.OPEN);
      expect(quick.relay.clientCount).to.equal(1);
    } finally {
      await quick.close();
    }
  });

  it('is shared between API processes, joins and leaves alike', async () => {
    const other = await startRelayServer(testAccess);
    try {
      const board = freshBoard();
      const here = await open(users.alice);
      await here.subscribe(board);
      here.send({ type: 'presence', topic: board, editing: 'card:5' });
      await here.next({ type: 'presence', viewers: [{ ...alice, editing: 'card:5' }] });

      // A process that gets its first subscriber asks the others who is there.
      const there = await open(users.bob, other.url);
      await there.subscribe(board);
      await there.next({ type: 'presence', viewers: [{ ...alice, editing: 'card:5' }, { ...bob, editing: null }] });
      await here.next({ type: 'presence', viewers: [{ ...alice, editing: 'card:5' }, { ...bob, editing: null }] });

      here.close();
      expect((await there.next({ type: 'presence' })).viewers).to.deep.equal([{ ...bob, editing: null }]);
    } finally {
      await other.close();
    }
  });

  it('forgets the viewers of a process that died without a word', async () => {
    const watching = await startRelayServer(testAccess, { presenceTtlMs: 600 });
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./relay-process.ts', import.meta.url))], {
      env: { ...process.env, PRESENCE_TTL_MS: '600' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      const board = freshBoard();
      const watcher = await open(users.bob, watching.url);
      await watcher.subscribe(board);
      const editor = await open(users.alice, String(line).trim());
      await editor.subscribe(board);
      editor.send({ type: 'presence', topic: board, editing: 'card:9' });
      await watcher.next({ type: 'presence', viewers: [{ ...alice, editing: 'card:9' }, { ...bob, editing: null }] });

      child.kill('SIGKILL');
      expect(await watcher.next({ type: 'presence' }, 3000)).to.deep.equal({ type: 'presence', topic: board, viewers: [{ ...bob, editing: null }] });
    } finally {
      child.kill('SIGKILL');
      await watching.close();
    }
  });
});
