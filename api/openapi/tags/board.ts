import {
  assignSchema, createBoardSchema, createLabelSchema, patchLabelSchema, createChecklistItemSchema, listBoardsQuerySchema, patchBoardSchema, putBoardMemberSchema, createColumnSchema, createCommentSchema, createProjectSchema, createTaskSchema, deleteTaskSchema, patchChecklistItemSchema, patchColumnSchema, patchTaskSchema, reorderSchema,
} from '../../../domain/board/requests.ts';
import { arrayOf, integerId, isoDateTime, nullable, object, ref } from '../json-schema.ts';
import { created, noContent, ok, V1, type OperationSpec, type TagSpec } from '../operation.ts';
import { boardSummaryFields } from '../components.ts';

/** Card changes carry the version the client saw: a stale one is 409 `stale-version` with the card as it is. */
const cardChange = (path: string, summary: string, body: OperationSpec['body'], problems: number[] = [404, 409]): OperationSpec => ({
  method: 'post',
  path: `${V1}${path}`,
  summary,
  auth: 'user',
  body,
  success: ok('The card', ref('Task')),
  problems,
});

const person = object({ id: integerId, name: { type: 'string' } });
const comment = object({ id: integerId, taskId: integerId, author: nullable(person), body: { type: 'string' }, createdAt: isoDateTime });
const checklistItem = object({ id: integerId, taskId: integerId, text: { type: 'string' }, done: { type: 'boolean' } });
const activity = object({
  kind: { type: 'string', enum: ['created', 'moved', 'edited', 'assigned', 'commented', 'booking'] },
  actor: nullable(person),
  detail: { type: 'object', description: 'The column moved to, the fields edited, the assignee, or the booking transition (action, from, to, role).' },
  at: isoDateTime,
});

const boardSummary = object(boardSummaryFields);
const label = object({ id: integerId, boardId: integerId, name: { type: 'string' }, color: { type: 'string', enum: ['neutral', 'primary', 'secondary', 'accent', 'info', 'success', 'warning', 'error'] } });
const members = object({ items: arrayOf(object({ userId: integerId, name: { type: 'string' }, role: { type: 'string', enum: ['viewer', 'editor', 'technician'] } })) });

export const boardTag: TagSpec = {
  name: 'board',
  description: 'Projects, boards, columns and cards. Boards of others answer 404; every change is announced on `board:<id>`.',
  operations: [
    { method: 'get', path: `${V1}/projects`, summary: "The caller's own projects", auth: 'user', success: ok('Projects', object({ items: arrayOf(object({ id: integerId, name: { type: 'string' }, boardIds: arrayOf(integerId) })) })) },
    { method: 'post', path: `${V1}/projects`, summary: 'Create a project with one board (To do, In progress, Done)', auth: 'user', body: createProjectSchema, success: created('The project', object({ id: integerId, name: { type: 'string' }, boardIds: arrayOf(integerId) })) },
    { method: 'get', path: `${V1}/projects/:projectId/board`, summary: "A project's boards, whole", auth: 'user', success: ok('The project and its boards', object({ project: object({ id: integerId, name: { type: 'string' } }), boards: arrayOf(ref('Board')) })), problems: [404] },
    { method: 'get', path: `${V1}/boards/mine`, summary: "The caller's board (a provider's bookings board is made on first sight)", auth: 'user', success: ok('The board', ref('Board')), problems: [404] },
    { method: 'get', path: `${V1}/boards`, summary: 'The boards the caller may open, with their role on each (archived ones with archived=true)', auth: 'user', query: listBoardsQuerySchema, success: ok('Boards', object({ items: arrayOf(boardSummary) })), problems: [422] },
    { method: 'post', path: `${V1}/boards`, summary: "Create a board (To do, In progress, Done): the caller's own, or an organization's they belong to", auth: 'user', body: createBoardSchema, success: created('The board', ref('Board')), problems: [422] },
    { method: 'patch', path: `${V1}/boards/:boardId`, summary: 'Rename or archive (unarchive) a board; its owner only', auth: 'user', body: patchBoardSchema, success: ok('The board', ref('Board')), problems: [403, 404] },
    { method: 'get', path: `${V1}/boards/:boardId/members`, summary: "A board's members and their roles", auth: 'user', success: ok('Members', members), problems: [404] },
    { method: 'put', path: `${V1}/boards/:boardId/members/:userId`, summary: "Add a member or change their role (viewer, editor, technician): someone of the owner's organizations; owner only", auth: 'user', body: putBoardMemberSchema, success: ok('Members', members), problems: [403, 404] },
    { method: 'delete', path: `${V1}/boards/:boardId/members/:userId`, summary: 'Remove a member; owner only', auth: 'user', success: noContent('Removed'), problems: [403, 404] },
    { method: 'get', path: `${V1}/boards/:boardId/labels`, summary: "A board's labels", auth: 'user', success: ok('Labels', object({ items: arrayOf(label) })), problems: [404] },
    { method: 'post', path: `${V1}/boards/:boardId/labels`, summary: 'Add a label to the board (a card saved with a new label name adds it too)', auth: 'user', body: createLabelSchema, success: created('The label', label), problems: [403, 404, 409] },
    { method: 'patch', path: `${V1}/labels/:labelId`, summary: 'Rename (on every card too) or recolour a label', auth: 'user', body: patchLabelSchema, success: ok('The label', label), problems: [403, 404, 409] },
    { method: 'delete', path: `${V1}/labels/:labelId`, summary: 'Remove a label from the board and its cards', auth: 'user', success: noContent('Removed'), problems: [403, 404] },
    { method: 'get', path: `${V1}/boards/:boardId`, summary: 'A board: columns in order with counts, cards in order', auth: 'user', success: ok('The board', ref('Board')), problems: [404] },
    { method: 'get', path: `${V1}/boards/:boardId/assignees`, summary: "Whom the caller may give this board's cards to: its owner and provider, the caller, and members of the caller's organizations", auth: 'user', success: ok('People, by name', object({ items: arrayOf(object({ id: integerId, name: { type: 'string' } })) })), problems: [404] },
    { method: 'post', path: `${V1}/boards/:boardId/tasks`, summary: 'Add a card (at the bottom unless placed)', auth: 'user', body: createTaskSchema, success: created('The card', ref('Task')), problems: [404, 409] },
    { method: 'get', path: `${V1}/tasks/:taskId`, summary: 'One card', auth: 'user', success: ok('The card', ref('Task')), problems: [404] },
    { ...cardChange('/tasks/:taskId', 'Change a card\'s fields and/or move it', patchTaskSchema, [404, 409, 503]), method: 'patch' },
    cardChange('/tasks/reorder', "Move a card: after `afterId`, else before `beforeId`, else to the bottom (a booking's card asks the booking)", reorderSchema, [404, 409, 503]),
    cardChange('/tasks/assign', 'Assign a card to one of the board\'s people (or nobody)', assignSchema),
    { method: 'delete', path: `${V1}/tasks/:taskId`, summary: "Delete a card (not a booking's)", auth: 'user', query: deleteTaskSchema, success: noContent('Deleted'), problems: [404, 409] },
    { method: 'post', path: `${V1}/boards/:boardId/columns`, summary: 'Add a column', auth: 'user', body: createColumnSchema, success: created('The column', ref('Column')), problems: [404] },
    { method: 'patch', path: `${V1}/columns/:columnId`, summary: 'Rename, set the WIP limit, or reorder a column', auth: 'user', body: patchColumnSchema, success: ok('The column', ref('Column')), problems: [404] },
    { method: 'delete', path: `${V1}/columns/:columnId`, summary: 'Remove an empty column that no booking state lands in', auth: 'user', success: noContent('Removed'), problems: [404, 409] },
    { method: 'get', path: `${V1}/tasks/:taskId/comments`, summary: "A card's comments, oldest first", auth: 'user', success: ok('Comments', object({ items: arrayOf(comment) })), problems: [404] },
    { method: 'post', path: `${V1}/tasks/:taskId/comments`, summary: 'Comment on a card; "@Name" tells that person (one of those who can open the card) in the app and by email', auth: 'user', body: createCommentSchema, success: created('The comment', comment), problems: [404] },
    { method: 'get', path: `${V1}/tasks/:taskId/mentionable`, summary: 'Whom a comment on this card may @mention: the people who can open it, but the caller', auth: 'user', success: ok('People, by name', object({ items: arrayOf(person) })), problems: [404] },
    { method: 'get', path: `${V1}/tasks/:taskId/activity`, summary: "A card's log, newest first: added, moved, edited, assigned, commented, and a booking card's transitions", auth: 'user', success: ok('Log lines', object({ items: arrayOf(activity) })), problems: [404] },
    { method: 'get', path: `${V1}/tasks/:taskId/checklist`, summary: "A card's checklist", auth: 'user', success: ok('Items', object({ items: arrayOf(checklistItem) })), problems: [404] },
    { method: 'post', path: `${V1}/tasks/:taskId/checklist`, summary: 'Add a checklist item (the card keeps its version)', auth: 'user', body: createChecklistItemSchema, success: created('The item', checklistItem), problems: [404] },
    { method: 'patch', path: `${V1}/checklist-items/:itemId`, summary: 'Tick, untick or rename a checklist item', auth: 'user', body: patchChecklistItemSchema, success: ok('The item', checklistItem), problems: [404] },
    { method: 'delete', path: `${V1}/checklist-items/:itemId`, summary: 'Remove a checklist item', auth: 'user', success: noContent('Removed'), problems: [404] },
  ],
};
