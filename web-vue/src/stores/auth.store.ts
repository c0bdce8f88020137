import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { http, isProblem } from '../api/http';
import type { Id, Me, OrganizationRef, User } from '../api/types';

const CURRENT_ORG_KEY = 'pulseboard.currentOrgId';

/** Who is signed in, their organizations, and which one the app is working in. */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  const organizations = ref<OrganizationRef[]>([]);
  /** Survives reloads so a person lands back in the organization they last chose. */
  const currentOrgId = ref<string | null>(localStorage.getItem(CURRENT_ORG_KEY));
  /** False until the first /auth/me answered; the router waits for it. */
  const loaded = ref(false);
  let loading: Promise<void> | undefined;

  const signedIn = computed(() => user.value !== null);
  const isAdmin = computed(() => user.value?.role === 'admin');
  const currentOrg = computed<OrganizationRef | null>(
    () =>
      organizations.value.find((org) => String(org.id) === currentOrgId.value) ??
      organizations.value[0] ??
      null,
  );
  const canManageOrg = computed(() => currentOrg.value?.role === 'owner' || currentOrg.value?.role === 'admin');

  function selectOrg(id: Id | null): void {
    currentOrgId.value = id === null ? null : String(id);
    if (id === null) localStorage.removeItem(CURRENT_ORG_KEY);
    else localStorage.setItem(CURRENT_ORG_KEY, String(id));
  }

  function apply(me: Pick<Me, 'user' | 'organizations'> | null): void {
    user.value = me?.user ?? null;
    organizations.value = me?.organizations ?? [];
    loaded.value = true;
  }

  async function fetchMe(): Promise<void> {
    try {
      apply(await http.get<Me>('/auth/me'));
    } catch (error) {
      if (!isProblem(error, 401)) throw error;
      apply(null);
    }
  }

  /** Loads the session once; later callers share the same request. */
  function ensureLoaded(): Promise<void> {
    loading ??= fetchMe().catch((error) => {
      loading = undefined; // a failed first load is tried again on the next navigation
      throw error;
    });
    return loading;
  }

  async function signIn(email: string, password: string): Promise<void> {
    await http.post('/auth/sign_in', { email, password });
    await fetchMe();
  }

  /**
   * Asks for an account (a provider's with `offersServices`); the answer only says to check the
   * mail (it is the same when the address has one). `next` is where the mailed link leads on.
   */
  async function signUp(name: string, email: string, password: string, options: { offersServices?: boolean; next?: string } = {}): Promise<string> {
    const answer = await http.post<{ message: string }>('/auth/sign_up', { name, email, password, offersServices: options.offersServices ?? false, ...(options.next ? { next: options.next } : {}) });
    return answer.message;
  }

  /** Makes the account from the mailed link's token, and signs in. */
  async function confirmSignUp(token: string): Promise<void> {
    await http.post('/auth/confirm_sign_up', { token });
    await fetchMe();
  }

  async function signOut(): Promise<void> {
    try {
      await http.post('/auth/sign_out');
    } finally {
      forget();
    }
  }

  /** Drops the local session, e.g. after the server said it has ended. */
  function forget(): void {
    apply(null);
  }

  async function refreshOrganizations(): Promise<void> {
    organizations.value = await http.get<OrganizationRef[]>('/orgs');
  }

  async function createOrganization(name: string): Promise<OrganizationRef> {
    const org = await http.post<OrganizationRef>('/orgs', { name });
    organizations.value = [...organizations.value, org];
    selectOrg(org.id);
    return org;
  }

  return {
    user,
    organizations,
    currentOrgId,
    loaded,
    signedIn,
    isAdmin,
    currentOrg,
    canManageOrg,
    ensureLoaded,
    fetchMe,
    signIn,
    signUp,
    confirmSignUp,
    signOut,
    forget,
    selectOrg,
    refreshOrganizations,
    createOrganization,
  };
});
