import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { http } from '../api/http';
import type { ApiKey, CreatedApiKey, Id, Invitation, Member, OrgRole } from '../api/types';
import { useAuthStore } from './auth.store';

/** The current organization's members, pending invitations and API keys. */
export const useOrgStore = defineStore('org', () => {
  const auth = useAuthStore();
  const members = ref<Member[] | null>(null);
  const invitations = ref<Invitation[] | null>(null);
  const apiKeys = ref<ApiKey[] | null>(null);

  const orgId = computed(() => auth.currentOrg?.id ?? null);
  const base = () => {
    if (orgId.value === null) throw new Error('No organization is selected.');
    return `/orgs/${orgId.value}`;
  };

  // Lists belong to one organization; switching must never show the previous one's data.
  watch(orgId, () => {
    members.value = null;
    invitations.value = null;
    apiKeys.value = null;
  });

  async function loadMembers(): Promise<void> {
    members.value = await http.get<Member[]>(`${base()}/members`);
  }

  async function changeRole(userId: Id, role: OrgRole): Promise<void> {
    await http.patch(`${base()}/members/${userId}`, { role });
    await loadMembers();
  }

  async function removeMember(userId: Id): Promise<void> {
    await http.delete(`${base()}/members/${userId}`);
    members.value = members.value?.filter((m) => m.userId !== userId) ?? null;
  }

  /** Leaves the current organization and moves the app to another one. */
  async function leave(): Promise<void> {
    await http.delete(`${base()}/members/${auth.user!.id}`);
    await auth.refreshOrganizations();
    auth.selectOrg(auth.organizations[0]?.id ?? null);
  }

  async function loadInvitations(): Promise<void> {
    invitations.value = await http.get<Invitation[]>(`${base()}/invitations`);
  }

  async function invite(email: string, role: Invitation['role']): Promise<Invitation> {
    const invitation = await http.post<Invitation>(`${base()}/invitations`, { email, role });
    invitations.value = [invitation, ...(invitations.value ?? [])];
    return invitation;
  }

  async function revokeInvitation(id: Id): Promise<void> {
    await http.delete(`${base()}/invitations/${id}`);
    invitations.value = invitations.value?.filter((i) => i.id !== id) ?? null;
  }

  async function loadApiKeys(): Promise<void> {
    apiKeys.value = await http.get<ApiKey[]>(`${base()}/api_keys`);
  }

  /** Returns the whole key: the caller shows it once; the list keeps only its prefix. */
  async function createApiKey(name: string): Promise<CreatedApiKey> {
    const created = await http.post<CreatedApiKey>(`${base()}/api_keys`, { name });
    await loadApiKeys();
    return created;
  }

  async function revokeApiKey(id: string): Promise<void> {
    await http.delete(`${base()}/api_keys/${id}`);
    await loadApiKeys();
  }

  return {
    orgId,
    members,
    invitations,
    apiKeys,
    loadMembers,
    changeRole,
    removeMember,
    leave,
    loadInvitations,
    invite,
    revokeInvitation,
    loadApiKeys,
    createApiKey,
    revokeApiKey,
  };
});
