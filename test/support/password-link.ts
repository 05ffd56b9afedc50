// What a person does with a one-time set-password link (tenant:admin, tenant:create, the admin view's
// Add user and Reset password): opens it and chooses a password, as the form at /auth/set-password asks.
import { httpsRequest } from './https-fetch.js';

/** Chooses `password` through `link` on the relay at `relayUrl` (the link's own origin may name the
 * configured public URL, not the port a test relay listens on). Throws unless the password was set. */
export async function choosePassword(relayUrl: string, link: string, ca: string, password: string): Promise<void> {
  const token = new URL(link).searchParams.get('t') ?? '';
  const res = await httpsRequest(`${relayUrl}/auth/set-password`, ca, { method: 'POST', form: { t: token, password, confirm: password } });
  if (res.status !== 200 || !/Your password is set/.test(res.body)) throw new Error(`the link did not set the password (${res.status})`);
}
