import { useRoute, useRouter } from 'vue-router';
import { safeNext } from '../router';

/** After signing in or up: on to the page that sent the person here (`?next=`), else home. */
export function useContinue() {
  const route = useRoute();
  const router = useRouter();
  return () => router.replace(safeNext(route.query.next) ?? '/');
}
