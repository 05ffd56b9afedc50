// A typed admin call from the renderer: adminCall(client, 'listRoles', {}) answers AdminResult<'listRoles'>.
// Main validates the arguments again and the relay decides whether the caller is an admin.
import type { AdminArgs, AdminMethod, AdminResult, DesktopApi } from '#protocol';

export type AdminCaller = Pick<DesktopApi, 'admin'>;

export function adminCall<K extends AdminMethod>(client: AdminCaller, method: K, args: AdminArgs<K>): Promise<AdminResult<K>> {
  return client.admin({ method, args });
}
