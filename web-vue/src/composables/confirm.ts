import { reactive } from 'vue';

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
}

/** The one open confirmation, rendered by <ConfirmDialog> in the app root. */
export const pendingConfirm = reactive<{ request: ConfirmRequest | null; resolve: (ok: boolean) => void }>({
  request: null,
  resolve: () => {},
});

/** Asks the person to confirm a destructive action; resolves true when they do. */
export function confirmAction(request: ConfirmRequest): Promise<boolean> {
  pendingConfirm.resolve(false);
  return new Promise((resolve) => {
    pendingConfirm.request = request;
    pendingConfirm.resolve = (ok) => {
      pendingConfirm.request = null;
      pendingConfirm.resolve = () => {};
      resolve(ok);
    };
  });
}
