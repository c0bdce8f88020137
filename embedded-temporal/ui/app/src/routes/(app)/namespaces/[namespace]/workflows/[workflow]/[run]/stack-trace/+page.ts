import { redirect } from '@sveltejs/kit';

import { routeForCallStack } from '$lib/utilities/route-for';

export const load = async ({ params }) => {
  redirect(302, routeForCallStack({ namespace: params.namespace, workflow: params.workflow, run: params.run }));
};
