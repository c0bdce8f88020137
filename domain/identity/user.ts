import type { UserRole } from './roles.ts';

/** A person as the API shows them: never the password hash. */
export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
}
