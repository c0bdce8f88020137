import { expect } from 'chai';
import type { Session } from '../platform/helpers.ts';
import { addCards, ownerAndOutsider, type BoardBody } from './support.ts';

describe('board API: labels per board', () => {
  let owner: Session;
  let outsider: Session;
  let board: BoardBody;

  before(async () => {
    ({ owner, outsider, board } = await ownerAndOutsider('Attic'));
  });

  const labelsOf = async () => (await owner.agent.get(`/api/v1/boards/${board.id}`).expect(200)).body.labels.map((l: { name: string; color: string }) => [l.name, l.color]);
  const cardLabels = async (id: number) => (await owner.agent.get(`/api/v1/tasks/${id}`).expect(200)).body.labels;

  it('keeps a board’s labels with their colours, renames and removes them on its cards too', async () => {
    const urgent = (await owner.agent.post(`/api/v1/boards/${board.id}/labels`).set('X-CSRF-Token', owner.csrf).send({ name: 'Urgent', color: 'error' }).expect(201)).body;
    await owner.agent.post(`/api/v1/boards/${board.id}/labels`).set('X-CSRF-Token', owner.csrf).send({ name: 'Urgent' }).expect(409);
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Insulate']);
    await owner.agent.patch(`/api/v1/tasks/${card.id}`).set('X-CSRF-Token', owner.csrf).send({ version: card.version, labels: ['Urgent', 'Electrics'] }).expect(200);
    // A card's new label joins the board's list.
    expect(await labelsOf()).to.deep.equal([['Electrics', 'neutral'], ['Urgent', 'error']]);

    await owner.agent.patch(`/api/v1/labels/${urgent.id}`).set('X-CSRF-Token', owner.csrf).send({ name: 'Soon', color: 'warning' }).expect(200);
    expect(await cardLabels(card.id)).to.deep.equal(['Soon', 'Electrics']);
    await owner.agent.delete(`/api/v1/labels/${urgent.id}`).set('X-CSRF-Token', owner.csrf).expect(204);
    expect(await cardLabels(card.id)).to.deep.equal(['Electrics']);
    expect(await labelsOf()).to.deep.equal([['Electrics', 'neutral']]);
  });

  it('refuses bad input and other people', async () => {
    await owner.agent.post(`/api/v1/boards/${board.id}/labels`).set('X-CSRF-Token', owner.csrf).send({ name: 'X', color: 'plaid' }).expect(422);
    const label = (await owner.agent.post(`/api/v1/boards/${board.id}/labels`).set('X-CSRF-Token', owner.csrf).send({ name: 'Roof' }).expect(201)).body;
    await owner.agent.patch(`/api/v1/labels/${label.id}`).set('X-CSRF-Token', owner.csrf).send({}).expect(422);
    await outsider.agent.get(`/api/v1/boards/${board.id}/labels`).expect(404);
    await outsider.agent.patch(`/api/v1/labels/${label.id}`).set('X-CSRF-Token', outsider.csrf).send({ color: 'info' }).expect(404);
    await outsider.agent.delete(`/api/v1/labels/${label.id}`).set('X-CSRF-Token', outsider.csrf).expect(404);
  });
});
