import type { Db } from '../connection.ts';

export interface CategoryView {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
}

const COLUMNS = ['id', 'name', 'slug', 'parent_id as parentId'];

export async function listCategories(db: Db): Promise<CategoryView[]> {
  return db('service_categories').orderBy(['parent_id', 'name']).select(COLUMNS);
}

export async function findCategory(db: Db, id: number): Promise<CategoryView | undefined> {
  return db('service_categories').where({ id }).first(COLUMNS);
}

/** Child id -> parent id, for cycle checks before a move. */
export async function categoryParents(db: Db): Promise<Map<number, number | null>> {
  const rows: { id: number; parent_id: number | null }[] = await db('service_categories').select('id', 'parent_id');
  return new Map(rows.map((row) => [row.id, row.parent_id]));
}

export async function slugTaken(db: Db, slug: string, exceptId?: number): Promise<boolean> {
  const row = await db('service_categories').where({ slug }).modify((q) => exceptId && q.whereNot({ id: exceptId })).first('id');
  return row !== undefined;
}

export async function insertCategory(db: Db, category: { name: string; slug: string; parentId: number | null }): Promise<CategoryView> {
  const [row] = await db('service_categories').insert({ name: category.name, slug: category.slug, parent_id: category.parentId }).returning(COLUMNS);
  return row;
}

export async function updateCategory(db: Db, id: number, change: { name?: string; slug?: string; parentId?: number | null }): Promise<CategoryView | undefined> {
  const patch: Record<string, unknown> = {};
  if (change.name !== undefined) patch.name = change.name;
  if (change.slug !== undefined) patch.slug = change.slug;
  if (change.parentId !== undefined) patch.parent_id = change.parentId;
  const [row] = await db('service_categories').where({ id }).update(patch).returning(COLUMNS);
  return row;
}

export async function hasChildCategories(db: Db, id: number): Promise<boolean> {
  return (await db('service_categories').where({ parent_id: id }).first('id')) !== undefined;
}

export async function deleteCategory(db: Db, id: number): Promise<boolean> {
  return (await db('service_categories').where({ id }).delete()) > 0;
}
