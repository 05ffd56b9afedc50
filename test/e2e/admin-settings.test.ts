// Tenant settings from the console's Tenant administration, enforced by the relay on the next
// session: an administrator turns off help for unenrolled devices and the /rhh helper is refused with
// the reason; turned back on, the same helper gets a code, with no restart in between.
import { useSystem } from '../support/e2e.js';
import { users, webHelperNewCode } from './flows.js';
import { adminSetsSetting, webHelperIsRefused } from './policy-flows.js';

const unenrolledRefused = 'Your organization does not allow remote help for devices that are not enrolled.';

describe('end to end: tenant settings in the admin view', function () {
  this.timeout(180_000);
  const e2e = useSystem();

  it('the admin turns off "Help for unenrolled devices": the /rhh helper is refused with the reason; turned back on, the helper gets a code', async () => {
    const admin = await e2e.person('admin');
    const helper = await e2e.person('helper');

    await adminSetsSetting(admin, e2e.system, 'Help for unenrolled devices', false);
    await webHelperIsRefused(helper, e2e.system, users.helper, [unenrolledRefused]);

    await adminSetsSetting(admin, e2e.system, 'Help for unenrolled devices', true);
    // The refused page offers no "Try again" (it would answer the same until the admin acts); once the
    // admin has, the helper, still signed in, opens /rhh again and gets a code.
    await webHelperNewCode(helper, e2e.system);
  });

  it('Fabrikam keeps the default (no help for unenrolled devices): its helper is refused on /rhh with the reason', async () => {
    const helper = await e2e.person('Fabrikam helper');
    await webHelperIsRefused(helper, e2e.system, users.fabrikamHelper, [unenrolledRefused]);
  });
});
