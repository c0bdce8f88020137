import { open } from '../../domain/jobs/secret-box.ts';
import type { StoreCredentials } from '../../domain/stores/store-input.ts';
import { recordTokenCheck, type StoreRow } from '../../db/repositories/stores.ts';
import { StoreApiError, type StoreApiTarget } from './store-api.ts';
import type { StoreActivityDeps } from './types.ts';

/** The store's API address and its credentials, opened only for the call that needs them. */
export async function storeApiTarget(deps: StoreActivityDeps, store: StoreRow): Promise<StoreApiTarget> {
  if (!store.credentials_sealed) throw new StoreApiError('the store has no credentials (the app was uninstalled)');
  const credentials = JSON.parse(open(await deps.keyring(), store.credentials_sealed)) as StoreCredentials;
  return { platform: store.platform, apiBaseUrl: store.api_base_url, credentials };
}

/**
 * What a call to the platform told of the store's credentials, for its health card: any answer
 * means they were taken, a 401 or 403 that they were not; a network error tells nothing.
 */
export async function noteTokenOutcome(deps: StoreActivityDeps, storeId: number, error: unknown): Promise<void> {
  if (!error) return recordTokenCheck(deps.db, storeId, true);
  if (error instanceof StoreApiError && (error.status === 401 || error.status === 403)) return recordTokenCheck(deps.db, storeId, false);
}
