import { expect } from 'chai';
import { CROWDED_GAP } from '../../../domain/board/positions.ts';
import { testDb } from '../../support/app.ts';
import { platformApp, signedInAs, type PlatformApp, type Session } from '../platform/helpers.ts';
import { addCards, createProjectBoard, reorder, titlesByColumn, type BoardBody, type TaskBody } from './support.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

const smallestGap = (sorted: number[]) => Math.min(...sorted.slice(1).map((position, index) => position - sorted[index]));

describe('board API: moving cards', () => {
  let app: PlatformApp['app'];
  let owner: Session;
  let board: BoardBody;
  let todo: number;
  let doing: number;
  let cards: TaskBody[];

  before(() => {
    app = platformApp().app;
  });

  beforeEach(async () => {
    owner = await signedInAs(app, 'customer');
    board = await createProjectBoard(owner);
    [todo, doing] = board.columns.map((column) => column.id);
    cards = await addCards(owner, board.id, todo, ['Measure', 'Order tiles', 'Remove cabinets', 'Paint']);
  });

  it('shows a new board with its columns, counts and cards in order', async () => {
    const res = await owner.agent.get(`/api/v1/boards/${board.id}`).expect(200);
    expect(res.body.columns.map((c: BoardBody['columns'][number]) => [c.name, c.count])).to.deep.equal([['To do', 4], ['In progress', 0], ['Done', 0]]);
    expect(res.body.columns[0].tasks.map((t: TaskBody) => t.title)).to.deep.equal(['Measure', 'Order tiles', 'Remove cabinets', 'Paint']);
  });

  it('reorders within a column by writing only the moved card', async () => {
    const [measure, order, remove, paint] = cards;
    const res = await reorder(owner, { taskId: paint.id, columnId: todo, afterId: measure.id, version: paint.version }).expect(200);
    expect(res.body).to.include({ id: paint.id, columnId: todo, version: paint.version + 1 });
    expect(res.body.position).to.be.greaterThan(measure.position).and.lessThan(order.position);
    expect((await titlesByColumn(owner, board.id))['To do']).to.deep.equal(['Measure', 'Paint', 'Order tiles', 'Remove cabinets']);
    const others = await testDb()('tasks').whereIn('id', [measure.id, order.id, remove.id]).orderBy('id').select('position', 'version');
    expect(others).to.deep.equal([measure, order, remove].map((card) => ({ position: card.position, version: card.version })));
  });

  it('moves across columns, before a card or to the bottom, and PATCH moves too', async () => {
    const [measure, order, remove] = cards;
    await reorder(owner, { taskId: order.id, columnId: doing, version: order.version }).expect(200);
    await reorder(owner, { taskId: remove.id, columnId: doing, beforeId: order.id, version: remove.version }).expect(200);
    await owner.agent.patch(`/api/v1/tasks/${measure.id}`).set('X-CSRF-Token', owner.csrf).send({ version: measure.version, columnId: doing, afterTaskId: order.id }).expect(200);
    const titles = await titlesByColumn(owner, board.id);
    expect(titles['To do']).to.deep.equal(['Paint']);
    expect(titles['In progress']).to.deep.equal(['Remove cabinets', 'Order tiles', 'Measure']);
  });

  it('refuses a move on a stale version with 409 and the card as it is now', async () => {
    const [measure, order] = cards;
    await reorder(owner, { taskId: order.id, columnId: doing, version: order.version }).expect(200);
    const stale = await reorder(owner, { taskId: order.id, columnId: todo, beforeId: measure.id, version: order.version }).expect(409);
    expect(stale.body.type).to.equal('https://pulseboard.dev/problems/stale-version');
    expect(stale.body.current).to.include({ id: order.id, columnId: doing, version: order.version + 1 });
    const edit = await owner.agent.patch(`/api/v1/tasks/${order.id}`).set('X-CSRF-Token', owner.csrf).send({ version: order.version, title: 'Order blue tiles' }).expect(409);
    expect(edit.body.current.title).to.equal('Order tiles');
    expect((await titlesByColumn(owner, board.id))['In progress']).to.deep.equal(['Order tiles']);
  });

  it('ends two people dropping into the same spot in one order, with distinct positions', async () => {
    const [measure, order, remove, paint] = cards;
    const admin = await signedInAs(app, 'admin');
    const results = await Promise.all([
      reorder(owner, { taskId: remove.id, columnId: doing, version: remove.version }),
      reorder(admin, { taskId: paint.id, columnId: doing, version: paint.version }),
      reorder(owner, { taskId: measure.id, columnId: todo, afterId: order.id, version: measure.version }),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200]);
    const positions = await testDb()('tasks').where({ column_id: doing }).pluck('position');
    expect(new Set(positions).size).to.equal(2);
    expect((await titlesByColumn(owner, board.id))['To do']).to.deep.equal(['Order tiles', 'Measure']);
  });

  it('keeps the order right when cards keep landing in the same gap, rebalancing the column', async () => {
    const [measure] = cards;
    let after = measure.id;
    const titles: string[] = [];
    // Each new card goes right after the previous one: the gap before "Order tiles" halves every time,
    // past the crowding mark (2^-30 of the gap) but not yet to what doubles can tell apart.
    for (let index = 0; index < 40; index += 1) {
      const title = `Step ${index}`;
      const res = await owner.agent.post(`/api/v1/boards/${board.id}/tasks`).set('X-CSRF-Token', owner.csrf).send({ columnId: todo, title, afterId: after }).expect(201);
      after = res.body.id;
      titles.push(title);
    }
    expect((await titlesByColumn(owner, board.id))['To do']).to.deep.equal(['Measure', ...titles, 'Order tiles', 'Remove cabinets', 'Paint']);
    // The background rebalance runs after the move's commit: wait for it to have spread the column out again.
    await eventuallyPasses(async () => expect(smallestGap(await testDb()('tasks').where({ column_id: todo }).orderBy('position').pluck('position'))).to.be.at.least(CROWDED_GAP));
  });
});
