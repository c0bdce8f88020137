import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setUnauthorizedHandler } from './api/http';
import { router } from './router';
import { useAuthStore } from './stores/auth.store';
import './composables/theme';
import './style.css';

const app = createApp(App);
app.use(createPinia());
app.use(router);

// A session that ended elsewhere (expired, signed out in another tab) sends the person to sign in.
setUnauthorizedHandler(() => {
  const auth = useAuthStore();
  if (!auth.signedIn) return;
  auth.forget();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: 'sign-in', query: { next: here.fullPath } });
});

app.mount('#app');
