import type { InjectionKey } from 'vue';
import type { Category, Id } from '../../api/types';

/** What the categories page shares with every node of its tree. */
export interface CategoryTree {
  childrenOf: (parentId: Id | null) => Category[];
  /** Where a category may move: anywhere but itself and its own subtree. */
  moveTargets: (category: Category) => { id: Id | null; label: string }[];
  busy: () => boolean;
  add: (parentId: Id | null, name: string) => Promise<boolean>;
  rename: (category: Category, name: string) => Promise<boolean>;
  move: (category: Category, parentId: Id | null) => Promise<boolean>;
  remove: (category: Category) => Promise<boolean>;
}

export const categoryTreeKey: InjectionKey<CategoryTree> = Symbol('categoryTree');
