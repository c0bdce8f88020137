import { redirect } from '@sveltejs/kit';

import { getEndpointForRawHistory } from '$lib/services/events-service';

/** The download: the server's raw history of the run. */
export const load = async ({ parent, params }) => {
  await parent();
  redirect(302, getEndpointForRawHistory({ namespace: params.namespace, workflowId: params.workflow, runId: params.run }));
};
