import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { useAuthStore } from './stores/auth.store';
import { useToastStore } from './stores/toast.store';

declare module 'vue-router' {
  interface RouteMeta {
    /** Anyone may open it, signed in or not. */
    public?: boolean;
    /** Only for signed-out people (sign in, sign up); signed-in ones go on to `next`. */
    guestOnly?: boolean;
    adminOnly?: boolean;
    /** Drawn without the app shell. */
    bare?: boolean;
    /** Uses the window's full width (the board), not the centred column. */
    wide?: boolean;
    title?: string;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: 'Home' } },
    {
      path: '/sign-in',
      name: 'sign-in',
      component: () => import('./pages/SignInPage.vue'),
      meta: { guestOnly: true, bare: true, title: 'Sign in' },
    },
    {
      path: '/sign-up',
      name: 'sign-up',
      component: () => import('./pages/SignUpPage.vue'),
      meta: { guestOnly: true, bare: true, title: 'Create your account' },
    },
    {
      path: '/confirm-sign-up/:token',
      name: 'confirm-sign-up',
      component: () => import('./pages/ConfirmSignUpPage.vue'),
      meta: { public: true, bare: true, title: 'Confirm your account' },
    },
    {
      path: '/invitations/:token',
      name: 'invitation',
      component: () => import('./pages/AcceptInvitationPage.vue'),
      meta: { public: true, bare: true, title: 'Invitation' },
    },
    { path: '/orgs/new', name: 'new-org', component: () => import('./pages/NewOrganizationPage.vue'), meta: { title: 'New organization' } },
    { path: '/team', name: 'team', component: () => import('./pages/TeamPage.vue'), meta: { title: 'Team' } },
    { path: '/api-keys', name: 'api-keys', component: () => import('./pages/ApiKeysPage.vue'), meta: { title: 'API keys' } },
    { path: '/jobs', name: 'jobs', component: () => import('./pages/jobs/JobsListPage.vue'), meta: { title: 'Jobs' } },
    { path: '/jobs/dashboard', name: 'jobs-dashboard', component: () => import('./pages/jobs/JobsDashboardPage.vue'), meta: { title: 'Jobs dashboard' } },
    { path: '/jobs/settings', name: 'jobs-settings', component: () => import('./pages/jobs/JobsSettingsPage.vue'), meta: { title: 'Job settings' } },
    { path: '/jobs/failed', name: 'jobs-failed', component: () => import('./pages/jobs/FailedDeliveriesPage.vue'), meta: { title: 'Failed deliveries' } },
    { path: '/jobs/billing', name: 'jobs-billing', component: () => import('./pages/jobs/JobsBillingPage.vue'), meta: { title: 'Billing' } },
    { path: '/jobs/new', name: 'job-new', component: () => import('./pages/jobs/JobFormPage.vue'), meta: { title: 'Create job' } },
    { path: '/jobs/:id(\\d+)', name: 'job', component: () => import('./pages/jobs/JobDetailPage.vue'), meta: { title: 'Job' } },
    { path: '/jobs/:id(\\d+)/edit', name: 'job-edit', component: () => import('./pages/jobs/JobFormPage.vue'), meta: { title: 'Edit job' } },
    { path: '/stores', name: 'stores', component: () => import('./pages/stores/StoresPage.vue'), meta: { title: 'Stores' } },
    { path: '/stores/alert-settings', name: 'store-alert-settings', component: () => import('./pages/stores/StoreAlertSettingsPage.vue'), meta: { title: 'Alert emails' } },
    { path: '/stores/overview', name: 'stores-overview', component: () => import('./pages/stores/StoresOverviewPage.vue'), meta: { title: 'All stores' } },
    { path: '/stores/:id(\\d+)', name: 'store', component: () => import('./pages/stores/StoreDashboardPage.vue'), meta: { title: 'Store' } },
    { path: '/board', name: 'board', component: () => import('./pages/board/BoardPage.vue'), meta: { title: 'Board', wide: true } },
    { path: '/boards/:boardId(\\d+)', name: 'board-by-id', component: () => import('./pages/board/BoardPage.vue'), meta: { title: 'Board', wide: true } },
    { path: '/projects/:projectId/board', name: 'project-board', component: () => import('./pages/board/BoardPage.vue'), meta: { title: 'Board', wide: true } },
    // Bookings: the catalog is open to everyone; holding a slot asks to sign in first.
    { path: '/services', name: 'services', component: () => import('./pages/catalog/ServicesPage.vue'), meta: { public: true, title: 'Services' } },
    { path: '/providers/:id', name: 'provider', component: () => import('./pages/catalog/ProviderPage.vue'), meta: { public: true, title: 'Provider' } },
    { path: '/bookings', name: 'my-bookings', component: () => import('./pages/bookings/MyBookingsPage.vue'), meta: { title: 'My bookings' } },
    { path: '/bookings/:id', name: 'booking', component: () => import('./pages/bookings/BookingPage.vue'), meta: { title: 'Booking' } },
    {
      path: '/requests',
      name: 'requests',
      component: () => import('./pages/bookings/RequestsPage.vue'),
      meta: { title: 'Requests' },
      beforeEnter: () => {
        if (useAuthStore().user?.role === 'provider') return true;
        useToastStore().show('Requests are for providers.', 'info');
        return { name: 'home' };
      },
    },
    {
      path: '/provider',
      component: () => import('./pages/provider/ProviderLayout.vue'),
      children: [
        { path: '', name: 'provider-profile', component: () => import('./pages/provider/ProviderProfilePage.vue'), meta: { title: 'Your provider profile' } },
        { path: 'services', name: 'provider-services', component: () => import('./pages/provider/ProviderServicesPage.vue'), meta: { title: 'Your services' } },
        { path: 'hours', name: 'provider-hours', component: () => import('./pages/provider/ProviderHoursPage.vue'), meta: { title: 'Hours & time off' } },
        { path: 'calendars', name: 'provider-calendars', component: () => import('./pages/provider/ProviderCalendarsPage.vue'), meta: { title: 'Calendars' } },
      ],
      // Customers may open the profile (it makes them providers); the rest needs a provider.
      beforeEnter: (to) => {
        if (to.name === 'provider-profile' || useAuthStore().user?.role === 'provider') return true;
        useToastStore().show('Services, hours and calendars come once you offer services: start with your provider profile.', 'info');
        return { name: 'provider-profile' };
      },
    },
    {
      path: '/respond/:token',
      name: 'respond',
      component: () => import('./pages/RespondPage.vue'),
      meta: { public: true, bare: true, title: 'Booking request' },
    },
    { path: '/dev/outbox', name: 'dev-outbox', component: () => import('./pages/DevOutboxPage.vue'), meta: { public: true, title: 'Dev outbox' } },
    {
      path: '/admin',
      component: () => import('./pages/admin/AdminLayout.vue'),
      meta: { adminOnly: true },
      children: [
        { path: '', redirect: { name: 'admin-users' } },
        { path: 'users', name: 'admin-users', component: () => import('./pages/admin/AdminUsersPage.vue'), meta: { title: 'Users' } },
        { path: 'audit', name: 'admin-audit', component: () => import('./pages/admin/AuditLogPage.vue'), meta: { title: 'Audit log' } },
        {
          path: 'categories',
          name: 'admin-categories',
          component: () => import('./pages/admin/CategoriesPage.vue'),
          meta: { title: 'Service categories' },
        },
        { path: 'workflows', name: 'admin-workflows', component: () => import('./pages/admin/workflows/WorkflowsPage.vue'), meta: { title: 'Workflows' } },
        {
          path: 'workflows/:workflowId',
          name: 'admin-workflow',
          component: () => import('./pages/admin/workflows/WorkflowPage.vue'),
          meta: { title: 'Workflow' },
        },
      ],
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { public: true, title: 'Not found' },
    },
  ],
});

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : undefined;
}

router.beforeEach(async (to: RouteLocationNormalized) => {
  const auth = useAuthStore();
  try {
    await auth.ensureLoaded();
  } catch {
    // The API is unreachable: carry on as signed out; the sign-in form will say what fails.
  }
  if (to.meta.guestOnly && auth.signedIn) return safeNext(to.query.next) ?? '/';
  if (!to.meta.public && !to.meta.guestOnly && !auth.signedIn) {
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  }
  if (to.matched.some((r) => r.meta.adminOnly) && !auth.isAdmin) {
    useToastStore().show('That page is for administrators.', 'info');
    return { name: 'home' };
  }
});

// After a deploy the old page asks for chunks that no longer exist: load the new app instead.
router.onError((error, to) => {
  if (/dynamically imported module|Importing a module script failed/.test(String(error))) window.location.assign(to.fullPath);
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · Pulseboard` : 'Pulseboard';
});
