/** Marketplace role of a person, for the whole site. */
export const USER_ROLES = ['admin', 'provider', 'customer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Role of a person inside one organization (jobs, stores, API keys). */
export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Roles an invitation may grant: ownership is handed over by changing a member's role, not by email. */
export const INVITABLE_ROLES = ['admin', 'member'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];
