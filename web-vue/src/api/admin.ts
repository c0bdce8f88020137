import { http } from './http';
import type { AuditEntry, Category, Page, User, UserRole } from './types';

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
  pageSize: number;
}

export const adminApi = {
  listUsers: (query: UserQuery) => http.get<Page<User>>('/admin/users', { ...query }),
  updateUser: (id: string, change: { role?: UserRole; disabled?: boolean }) =>
    http.patch<User>(`/admin/users/${id}`, change),
  listAudit: (query: AuditQuery) => http.get<Page<AuditEntry>>('/admin/audit', { ...query }),
  listCategories: () => http.get<Category[]>('/admin/categories'),
  createCategory: (name: string, parentId: string | null) => http.post<Category>('/admin/categories', { name, parentId }),
  updateCategory: (id: string, change: { name?: string; parentId?: string | null }) =>
    http.patch<Category>(`/admin/categories/${id}`, change),
  deleteCategory: (id: string) => http.delete(`/admin/categories/${id}`),
};
