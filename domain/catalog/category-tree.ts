export interface CategoryNode {
  id: number;
  name: string;
  slug: string;
  children: CategoryNode[];
}

/**
 * Nests flat categories under their parents, keeping the input's order among siblings. A category
 * whose parent is missing is shown as a root rather than lost.
 */
export function categoryTree(flat: readonly { id: number; name: string; slug: string; parentId: number | null }[]): CategoryNode[] {
  const nodes = new Map(flat.map((c) => [c.id, { id: c.id, name: c.name, slug: c.slug, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const category of flat) {
    const parent = category.parentId === null ? undefined : nodes.get(category.parentId);
    (parent ? parent.children : roots).push(nodes.get(category.id)!);
  }
  return roots;
}
