import { expect } from 'chai';
import type { Session } from '../platform/helpers.ts';
import { addCards, ownerAndOutsider, type BoardBody } from './support.ts';

describe('board API: a card’s checklist', () => {
  let owner: Session;
  let outsider: Session;
  let board: BoardBody;

  before(async () => {
    ({ owner, outsider, board } = await ownerAndOutsider('Garage'));
  });

  const progressOf = async (taskId: number) => (await owner.agent.get(`/api/v1/tasks/${taskId}`).expect(200)).body.checklist;

  it('adds, ticks, renames and removes items, and the card shows its progress without a new version', async () => {
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Clear the garage']);
    const add = (text: string) => owner.agent.post(`/api/v1/tasks/${card.id}/checklist`).set('X-CSRF-Token', owner.csrf).send({ text }).expect(201);
    const sort = (await add('Sort boxes')).body;
    const sweep = (await add('Sweep')).body;
    expect(await progressOf(card.id)).to.deep.equal({ done: 0, total: 2 });

    const ticked = (await owner.agent.patch(`/api/v1/checklist-items/${sort.id}`).set('X-CSRF-Token', owner.csrf).send({ done: true }).expect(200)).body;
    expect(ticked).to.deep.include({ text: 'Sort boxes', done: true });
    await owner.agent.patch(`/api/v1/checklist-items/${sweep.id}`).set('X-CSRF-Token', owner.csrf).send({ text: 'Sweep and mop' }).expect(200);
    expect(await progressOf(card.id)).to.deep.equal({ done: 1, total: 2 });
    const cardNow = (await owner.agent.get(`/api/v1/tasks/${card.id}`).expect(200)).body;
    expect(cardNow.version).to.equal(card.version);

    await owner.agent.delete(`/api/v1/checklist-items/${sweep.id}`).set('X-CSRF-Token', owner.csrf).expect(204);
    const { items } = (await owner.agent.get(`/api/v1/tasks/${card.id}/checklist`).expect(200)).body;
    expect(items.map((i: { text: string; done: boolean }) => [i.text, i.done])).to.deep.equal([['Sort boxes', true]]);
  });

  it('refuses bad input with a Problem, and the items of others’ cards exist for nobody else', async () => {
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Fix the door']);
    await owner.agent.post(`/api/v1/tasks/${card.id}/checklist`).set('X-CSRF-Token', owner.csrf).send({ text: '' }).expect(422);
    const item = (await owner.agent.post(`/api/v1/tasks/${card.id}/checklist`).set('X-CSRF-Token', owner.csrf).send({ text: 'Oil hinges' }).expect(201)).body;
    await owner.agent.patch(`/api/v1/checklist-items/${item.id}`).set('X-CSRF-Token', owner.csrf).send({}).expect(422);
    await owner.agent.patch(`/api/v1/checklist-items/${item.id}`).set('X-CSRF-Token', owner.csrf).send({ done: 'yes' }).expect(422);
    await outsider.agent.get(`/api/v1/tasks/${card.id}/checklist`).expect(404);
    await outsider.agent.post(`/api/v1/tasks/${card.id}/checklist`).set('X-CSRF-Token', outsider.csrf).send({ text: 'x' }).expect(404);
    await outsider.agent.patch(`/api/v1/checklist-items/${item.id}`).set('X-CSRF-Token', outsider.csrf).send({ done: true }).expect(404);
    await outsider.agent.delete(`/api/v1/checklist-items/${item.id}`).set('X-CSRF-Token', outsider.csrf).expect(404);
    await owner.agent.delete('/api/v1/checklist-items/999999999').set('X-CSRF-Token', owner.csrf).expect(404);
  });
});
