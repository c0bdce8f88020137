import type { Knex } from 'knex';

/**
 * What people do on a card together: comments, checklist items, and the card's activity log
 * (who moved, edited, assigned or commented, and when). A booking card's booking transitions are
 * read from booking_events beside it, not copied here.
 */
export async function up(db: Knex): Promise<void> {
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
}
