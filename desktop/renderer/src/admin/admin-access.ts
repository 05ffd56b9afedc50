// Whether to offer Tenant administration in the navigation. Only a hint for the UI: the relay checks
// the admin role on every admin call. The role definitions (which role has `admin`) come from the
// relay; when it cannot be asked, the built-in administrator role name decides.
import { builtInRoleNames, type Account } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';

export async function canAdminister(client: AdminCaller, account: Account): Promise<boolean> {
  const roles = await adminCall(client, 'listRoles', {});
  if (roles.ok) return roles.value.some((r) => r.admin && account.roles.includes(r.name));
  if (roles.error.code === 'admin-only' || roles.error.code === 'unauthenticated' || roles.error.code === 'forbidden') return false;
  return account.roles.includes(builtInRoleNames.administrator);
}
