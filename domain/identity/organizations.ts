import { z } from 'zod';
import { emailSchema } from './credentials.ts';
import { INVITABLE_ROLES, ORG_ROLES } from './roles.ts';

const orgName = z.string().trim().min(1, 'is required').max(120);

export const createOrganizationSchema = z.object({ name: orgName });
export const updateOrganizationSchema = z.object({ name: orgName });
export const changeMemberRoleSchema = z.object({ role: z.enum(ORG_ROLES) });
export const createInvitationSchema = z.object({ email: emailSchema, role: z.enum(INVITABLE_ROLES) });
