import { http } from './http';
import type { AuditEntry, Category, Id, Page, User, UserRole } from './types';

/** The site administration endpoints (role admin only). */

export interface UserQuery {
  q?: string;
  role?: UserRole | '';
  page: number;
  pageSize: number;
}

export interface AuditQuery {
  action?: string;
  actorId?: string;
  since?: string;
  until?: string;
  page: number;
}

export const adminApi = {
  listUsers: (query: UserQuery) => http.get<Page<User>>('/admin/users', { ...query }),
  updateUser: (id: Id, change: { role?: UserRole; disabled?: boolean }) =>
    http.patch<User>(`/admin/users/${id}`, change),
  listAudit: (query: AuditQuery) => http.get<Page<AuditEntry>>('/admin/audit', { ...query }),
  listCategories: () => http.get<Category[]>('/admin/categories'),
  createCategory: (name: string, parentId: Id | null) => http.post<Category>('/admin/categories', { name, parentId }),
  updateCategory: (id: Id, change: { name?: string; parentId?: Id | null }) =>
    http.patch<Category>(`/admin/categories/${id}`, change),
  deleteCategory: (id: Id) => http.delete(`/admin/categories/${id}`),
};
