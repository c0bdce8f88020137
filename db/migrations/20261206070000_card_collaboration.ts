import type { Knex } from 'knex';

/**
 * Boards people share, and what they do on a card together. A board belongs to its project's
 * owner, or (organization_id) to an organization, whose members then work on it; it can be
 * archived. Members are added per board as viewer, editor or technician (on a provider's
 * bookings board: sees and moves the cards assigned to them). And on a card: comments, checklist items, and the card's activity log
 * (who moved, edited, assigned or commented, and when). A booking card's booking transitions are
 * read from booking_events beside it, not copied here.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('boards', (t) => {
    t.bigInteger('organization_id').references('organizations.id').onDelete('CASCADE');
    t.timestamp('archived_at', { useTz: true });
    t.index(['organization_id']);
  });
  await db.schema.createTable('board_members', (t) => {
    t.bigInteger('board_id').notNullable().references('boards.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['board_id', 'user_id']);
    t.index(['user_id']);
  });
  await db.raw("alter table board_members add constraint board_members_role_check check (role in ('viewer','editor','technician'))");
  // A board's labels, with a colour; cards carry label names (tasks.labels), renamed and removed with them.
  await db.schema.createTable('board_labels', (t) => {
    t.bigIncrements('id');
    t.bigInteger('board_id').notNullable().references('boards.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('color').notNullable().defaultTo('neutral');
    t.unique(['board_id', 'name']);
  });
  await db.schema.createTable('task_comments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('task_id').notNullable().references('tasks.id').onDelete('CASCADE');
    t.bigInteger('author_id').references('users.id').onDelete('SET NULL');
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['task_id', 'id']);
  });
  await db.schema.createTable('task_checklist_items', (t) => {
    t.bigIncrements('id');
    t.bigInteger('task_id').notNullable().references('tasks.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.boolean('done').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['task_id', 'id']);
  });
  await db.schema.createTable('task_activity', (t) => {
    t.bigIncrements('id');
    t.bigInteger('task_id').notNullable().references('tasks.id').onDelete('CASCADE');
    t.bigInteger('actor_id').references('users.id').onDelete('SET NULL');
    // moved, edited, assigned, commented: what the log line says; detail holds its particulars.
    t.text('kind').notNullable();
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['task_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('task_activity');
  await db.schema.dropTable('task_checklist_items');
  await db.schema.dropTable('task_comments');
  await db.schema.dropTable('board_labels');
  await db.schema.dropTable('board_members');
  await db.schema.alterTable('boards', (t) => {
    t.dropColumn('archived_at');
    t.dropColumn('organization_id');
  });
}
