import type { Knex } from 'knex';

/** A board is read whole (all its cards at once) and projects are listed by owner: index both ways in. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tasks', (t) => t.index(['board_id'], 'tasks_board_id_idx'));
  await db.schema.alterTable('projects', (t) => t.index(['owner_id'], 'projects_owner_id_idx'));
  await db.schema.alterTable('boards', (t) => t.index(['project_id'], 'boards_project_id_idx'));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('boards', (t) => t.dropIndex([], 'boards_project_id_idx'));
  await db.schema.alterTable('projects', (t) => t.dropIndex([], 'projects_owner_id_idx'));
  await db.schema.alterTable('tasks', (t) => t.dropIndex([], 'tasks_board_id_idx'));
}
