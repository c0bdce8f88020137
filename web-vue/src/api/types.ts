/** Shapes of the platform API (docs/platform-api.md). Times are ISO 8601 UTC strings. */
import type { OrgRole, PublicUser as User, UserRole } from '../../../domain/contract.ts';

export type { OrgRole, User, UserRole };

/** Database ids are numbers; API key ids are strings (they are part of the key). */
export type Id = number;

export interface OrganizationRef {
  id: Id;
  name: string;
  role: OrgRole;
}

export interface Me {
  user: User;
  organizations: OrganizationRef[];
  csrfToken: string;
}

export interface Member {
  userId: Id;
  email: string;
  name: string;
  role: OrgRole;
  joinedAt: string;
}

export interface Invitation {
  id: Id;
  email: string;
  role: Exclude<OrgRole, 'owner'>;
  expiresAt: string;
  createdAt: string;
}

export interface InvitationPreview {
  organization: { name: string };
  email: string;
  role: Exclude<OrgRole, 'owner'>;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The whole secret; the API never returns it again. */
  key: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface AuditEntry {
  id: Id;
  at: string;
  actorId: Id | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | number | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface Category {
  id: Id;
  name: string;
  parentId: Id | null;
  slug: string;
}
