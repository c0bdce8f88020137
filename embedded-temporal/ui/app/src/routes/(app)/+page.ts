import { redirect } from '@sveltejs/kit';

import { routeForWorkflows } from '$lib/utilities/route-for';

/** The start page is the default namespace's workflow list. */
export const load = async ({ parent }) => {
  const { settings } = await parent();
  redirect(302, routeForWorkflows({ namespace: settings.defaultNamespace }));
};
