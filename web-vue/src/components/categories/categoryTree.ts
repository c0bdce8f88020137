import type { InjectionKey } from 'vue';
import type { Category } from '../../api/types';

/** What the categories page shares with every node of its tree. */
export interface CategoryTree {
  childrenOf: (parentId: string | null) => Category[];
  /** Where a category may move: anywhere but itself and its own subtree. */
  moveTargets: (category: Category) => { id: string | null; label: string }[];
  busy: () => boolean;
  add: (parentId: string | null, name: string) => Promise<boolean>;
  rename: (category: Category, name: string) => Promise<boolean>;
  move: (category: Category, parentId: string | null) => Promise<boolean>;
  remove: (category: Category) => Promise<boolean>;
}

export const categoryTreeKey: InjectionKey<CategoryTree> = Symbol('categoryTree');
