import { redirect } from '@sveltejs/kit';

import { routeForEventHistory } from '$lib/utilities/route-for';

/** Older links to one view (compact, feed, JSON) land on the history page, which shows them all. */
export const load = async ({ params }) => {
  redirect(302, routeForEventHistory({ namespace: params.namespace, workflow: params.workflow, run: params.run }));
};
