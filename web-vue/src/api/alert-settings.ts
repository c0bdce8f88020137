/** The signed-in person's store alert emails (docs/api-stores.md): which alerts email them, and when their digest comes. */
import { http } from './http';
import type { AlertDelivery, AlertSettingsInput, AlertSettingsView as AlertSettings, StoreAlertKind } from '../../../domain/contract.ts';

export type { AlertDelivery, AlertSettings, StoreAlertKind };

export const alertSettingsApi = {
  get: () => http.get<AlertSettings>('/me/alert_settings'),
  save: (input: AlertSettingsInput) => http.put<AlertSettings>('/me/alert_settings', input),
};
