// Whether to offer Tenant administration in the navigation. Only a hint for the UI: the relay checks
// the admin role on every admin call; when it cannot be asked, the built-in administrator role name decides.
import { builtInRoleNames, type Account } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';

export async function canAdminister(client: AdminCaller, account: Account): Promise<boolean> {
  const roles = await adminCall(client, 'listRoles', {});
  // The relay answers the admin API only to an administrator: its answer is the proof. The account's own
  // ID-token roles are not: an outside provider's role values are mapped to role names on the relay only.
  if (roles.ok) return true;
  if (roles.error.code === 'admin-only' || roles.error.code === 'unauthenticated' || roles.error.code === 'forbidden') return false;
  return account.roles.includes(builtInRoleNames.administrator);
}
