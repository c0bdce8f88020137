import type { Knex } from 'knex';

/**
 * Projects, boards, columns and tasks. A provider gets a board of their own; each confirmed booking
 * becomes a task on it, in the column that follows the booking's state. Positions are gapped floats
 * so a move writes one row; `version` refuses a move made on a stale view.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('projects', (t) => {
    t.bigIncrements('id');
    t.bigInteger('owner_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('boards', (t) => {
    t.bigIncrements('id');
    t.bigInteger('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.text('name').notNullable();
    // The provider whose bookings land here (one such board per provider).
    t.bigInteger('provider_id').unique().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('board_columns', (t) => {
    t.bigIncrements('id');
    t.bigInteger('board_id').notNullable().references('boards.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.double('position').notNullable();
    t.integer('wip_limit');
    // The booking state a booking's task sits in here (requested, accepted, in_progress, completed …).
    t.text('booking_state');
    t.unique(['board_id', 'booking_state']);
    t.index(['board_id', 'position']);
  });
  await db.schema.createTable('tasks', (t) => {
    t.bigIncrements('id');
    t.bigInteger('board_id').notNullable().references('boards.id').onDelete('CASCADE');
    t.bigInteger('column_id').notNullable().references('board_columns.id').onDelete('RESTRICT');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.bigInteger('booking_id').unique().references('bookings.id').onDelete('SET NULL');
    t.bigInteger('assignee_id').references('users.id').onDelete('SET NULL');
    t.text('priority').notNullable().defaultTo('normal');
    t.timestamp('due_at', { useTz: true });
    t.specificType('labels', 'text[]').notNullable().defaultTo('{}');
    t.double('position').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['column_id', 'position']);
  });
  await db.raw("alter table tasks add constraint tasks_priority_check check (priority in ('low','normal','high','urgent'))");
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('tasks');
  await db.schema.dropTable('board_columns');
  await db.schema.dropTable('boards');
  await db.schema.dropTable('projects');
}
