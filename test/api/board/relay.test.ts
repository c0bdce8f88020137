import { expect } from 'chai';
import { startApi, type RunningApi } from '../../../api/server.ts';
import { testContext } from '../../support/app.ts';
import { TestSocket, type Message } from '../relay/support.ts';
import { addCards, createProjectBoard, reorder, signInAt, titlesByColumn, type BoardBody, type TaskBody } from './support.ts';

/** A viewer's copy of the board, changed only by the events its socket receives, as the web app does. */
function applyEvent(columns: Map<number, TaskBody[]>, message: Message): void {
  const data = message.data as { taskId: number; task?: TaskBody; positions?: Array<[number, number]>; columnId: number };
  for (const cards of columns.values()) {
    const index = cards.findIndex((card) => card.id === data.taskId);
    if (index >= 0 && message.event !== 'column.rebalanced') cards.splice(index, 1);
  }
  if (message.event === 'column.rebalanced') {
    const positions = new Map(data.positions);
    for (const card of columns.get(data.columnId)!) card.position = positions.get(card.id) ?? card.position;
  } else if (data.task) columns.get(data.task.columnId)!.push(data.task);
  for (const cards of columns.values()) cards.sort((a, b) => a.position - b.position || a.id - b.id);
}

describe('board API: live updates through the relay', () => {
  let api: RunningApi;
  const sockets: TestSocket[] = [];

  before(async () => {
    api = await startApi(testContext(), 0, '127.0.0.1');
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => api.close());

  async function watch(session: { cookie: string }, boardId: number): Promise<{ socket: TestSocket; from: number }> {
    const socket = await TestSocket.open(`${api.url.replace('http', 'ws')}/ws`, null, { headers: { cookie: session.cookie } });
    sockets.push(socket);
    const { seq } = await socket.subscribe(`board:${boardId}`);
    return { socket, from: seq + 1 };
  }

  it('shows another viewer a move, with its column, position and version', async () => {
    const owner = await signInAt(api, 'customer');
    const admin = await signInAt(api, 'admin');
    const board = await createProjectBoard(owner);
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Fix the gate']);
    const { socket: viewer } = await watch(admin, board.id);
    const moved = (await reorder(owner, { taskId: card.id, columnId: board.columns[1].id, version: card.version }).expect(200)).body;
    const event = await viewer.next({ type: 'event', event: 'task.moved' });
    expect(event.data).to.include({ taskId: card.id, columnId: board.columns[1].id, position: moved.position, version: card.version + 1 });
    expect(event.data.task.title).to.equal('Fix the gate');
  });

  it('brings two people dragging at once to the same order on both screens and on the server', async () => {
    const owner = await signInAt(api, 'customer');
    const admin = await signInAt(api, 'admin');
    const board: BoardBody = await createProjectBoard(owner);
    const cards = await addCards(owner, board.id, board.columns[0].id, ['A', 'B', 'C', 'D', 'E', 'F']);
    const screens = await Promise.all([owner, admin].map(async (session) => ({ ...(await watch(session, board.id)), columns: new Map(board.columns.map((c) => [c.id, [] as TaskBody[]])) })));
    for (const screen of screens) screen.columns.set(board.columns[0].id, cards.map((card) => ({ ...card })));

    // Each person moves three cards at once, next to cards the other may be moving away; a refused
    // move is tried again at the bottom of the column with the card's current version, as a re-synced client would.
    const moves = [owner, admin].map(async (session, who) => {
      for (let round = 0; round < 3; round += 1) {
        const card = cards[who * 3 + round];
        const columnId = board.columns[(round + who) % 3].id;
        const anchor = cards[(who * 3 + round + 1) % cards.length];
        let res = await reorder(session, { taskId: card.id, columnId, afterId: anchor.id, version: card.version });
        if (res.status === 409) res = await reorder(session, { taskId: card.id, columnId, version: res.body.current.version });
        expect(res.status).to.equal(200);
      }
    });
    await Promise.all(moves);
    const server = await titlesByColumn(owner, board.id);
    const lastSeq = (await screens[0].socket.subscribe(`board:${board.id}`)).seq;
    for (const screen of screens) {
      for (let seq = screen.from; seq <= lastSeq; seq += 1) {
        const message = screen.socket.received.find((m) => m.type === 'event' && m.seq === seq) ?? (await screen.socket.next({ type: 'event', seq }));
        applyEvent(screen.columns, message);
      }
      const seen = Object.fromEntries(board.columns.map((column) => [column.name, screen.columns.get(column.id)!.map((card) => card.title)]));
      expect(seen).to.deep.equal(server);
    }
  });
});
