// Whether to offer Tenant administration in the navigation. Only a hint for the UI: the relay checks
// the admin role on every admin call. Listing the roles is such a call, so its answer is the relay's
// word: an administrator gets the list, anyone else admin-only. The account's own roles (the ID token's
// `roles` claim) cannot decide: an oidc tenant's roles are mapped by the relay from the provider's own
// claim (e.g. member_of), which the ID token does not carry as `roles`. When the relay cannot be asked,
// the built-in administrator role name in the account decides.
import { builtInRoleNames, type Account } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';

export async function canAdminister(client: AdminCaller, account: Account): Promise<boolean> {
  const roles = await adminCall(client, 'listRoles', {});
  if (roles.ok) return true;
  if (roles.error.code === 'admin-only' || roles.error.code === 'unauthenticated' || roles.error.code === 'forbidden') return false;
  return account.roles.includes(builtInRoleNames.administrator);
}
