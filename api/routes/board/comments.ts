import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppContext } from '../../context.ts';
import type { Mailer } from '../../../runtime/mail/mailer.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { insertComment, listComments } from '../../../db/repositories/task-comments.ts';
import { listActivity, recordActivity } from '../../../db/repositories/task-activity.ts';
import { findTaskView } from '../../../db/repositories/tasks.ts';
import { cardReaders } from '../../../db/repositories/board-members.ts';
import { notifyPeople } from '../../../db/realtime/notification-events.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { mentionedPeople } from '../../../domain/board/mentions.ts';
import { createCommentSchema } from '../../../domain/board/requests.ts';
import type { CommentView, TaskView } from '../../../domain/board/views.ts';
import { taskFor } from './access.ts';
import { announceCardEvent } from '../../../db/realtime/card-event.ts';

const cardLink = (task: Pick<TaskView, 'boardId' | 'id'>) => `/boards/${task.boardId}?card=${task.id}`;
const excerpt = (text: string) => (text.length > 280 ? `${text.slice(0, 279)}…` : text);

/** A card's conversation and its log. A comment reaches everyone on the board live; an @mention of someone who can open the card reaches them in the app and by email. */
export function commentRoutes(ctx: AppContext, mailer: Mailer): Router {
  const router = Router();
  const baseUrl = ctx.config.PUBLIC_URL ?? `http://${ctx.config.HOST}:${ctx.config.PORT}`;

  router.get('/tasks/:taskId/comments', requireUser, async (req, res) => {
    const task = await taskFor(ctx, currentUser(req), req.params.taskId, 'view');
    res.json({ items: await listComments(ctx.db, task.id) });
  });

  // Whom a comment may @mention: those who can open the card, so the mention's link works for them.
  router.get('/tasks/:taskId/mentionable', requireUser, async (req, res) => {
    const user = currentUser(req);
    const task = await taskFor(ctx, user, req.params.taskId, 'view');
    res.json({ items: (await cardReaders(ctx.db, task)).filter((p) => p.id !== user.id) });
  });

  router.get('/tasks/:taskId/activity', requireUser, async (req, res) => {
    const task = await taskFor(ctx, currentUser(req), req.params.taskId, 'view');
    res.json({ items: await listActivity(ctx.db, task.id) });
  });

  router.post('/tasks/:taskId/comments', requireUser, async (req, res) => {
    const { body } = createCommentSchema.parse(req.body);
    const author = currentUser(req);
    const facts = await taskFor(ctx, author, req.params.taskId, 'work');
    const mentioned = mentionedPeople(body, (await cardReaders(ctx.db, facts)).filter((p) => p.id !== author.id));
    const { comment, task } = await ctx.db.transaction(async (trx) => {
      const comment = await insertComment(trx, facts.id, author.id, body);
      await recordActivity(trx, facts.id, author.id, 'commented', { commentId: comment.id });
      const task = (await findTaskView(trx, facts.id))!;
      await notifyMentioned(trx, comment, task, mentioned.map((p) => p.id), author.name);
      await announceCardEvent(trx, task.boardId, task.assignee?.id ?? null, 'comment.created', { boardId: task.boardId, taskId: task.id, comment, commentCount: task.commentCount });
      return { comment, task };
    });
    await emailMentioned(comment, task, mentioned.map((p) => p.id), author.name);
    res.status(201).json(comment);
  });

  async function notifyMentioned(trx: Knex.Transaction, comment: CommentView, task: TaskView, userIds: number[], authorName: string): Promise<void> {
    await notifyPeople(
      trx,
      userIds.map((userId) => ({
        userId,
        kind: 'board.mention',
        title: `${authorName} mentioned you on “${task.title}”`,
        body: excerpt(comment.body),
        link: cardLink(task),
        idempotencyKey: `comment:${comment.id}:mention:${userId}`,
      })),
    );
  }

  /** After commit: a mail that fails is logged, the comment stands (the in-app notification is already there). */
  async function emailMentioned(comment: CommentView, task: TaskView, userIds: number[], authorName: string): Promise<void> {
    if (!userIds.length) return;
    const people: Array<{ id: number; email: string }> = await ctx.db('users').whereIn('id', userIds).select('id', 'email');
    for (const person of people) {
      try {
        await mailer.send({
          to: person.email,
          subject: `${authorName} mentioned you on “${task.title}”`,
          text: `${authorName} wrote:\n\n${comment.body}\n\nOpen the card: ${baseUrl}${cardLink(task)}`,
          idempotencyKey: `comment:${comment.id}:mention:${person.id}`,
        });
      } catch (error) {
        ctx.log.warn({ err: (error as Error).message, commentId: comment.id, userId: person.id }, 'mention email could not be sent');
      }
    }
  }

  return router;
}
