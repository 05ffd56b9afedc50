// The admin API's user management for embedded tenants (issue 7): the relay keeps these users, so their
// administrator adds, disables and deletes them, hands out set-password links and requires an
// authenticator app. A tenant that signs in through Entra or an OpenID provider manages its people
// there: every method here answers `conflict` for it. Disabling and deleting go through the directory's
// life cycle, whose listeners end the user's live sessions and close their sockets.
import { str } from '@lit/localize';
import {
  fail, ok, type Ack, type AdminApi, type DirectoryUserView, type PasswordLink, type RoleDefinition, type UserImportResult,
} from '#protocol';
import { lastAdministrator, LastAdministratorError, type DirectoryStore } from '../directory/index.js';
import type { TenantMfa } from '../identity/mfa-store.js';
import type { Msg } from '../identity/page-locale.js';
import { isAdmin } from '../policy/permissions.js';
import type { AuthUser, Clock, Log } from '../ports.js';
import { csvField } from '../reports/report-csv.js';
import { readUserCsv } from './user-csv.js';

export type IdentityType = 'embedded' | 'entra' | 'oidc';

export interface UserAdminDeps {
  directory: DirectoryStore;
  clock: Clock;
  log: Log;
  /** https://HOST[:PORT]: where set-password links point. */
  publicUrl: string;
  /** The tenant's identity source (§11); the embedded demo's tenants are all `embedded`. */
  identityType(tenantId: string): IdentityType;
  /** Who has an authenticator app and who must, for the whole tenant in one read (asynchronous: the
   * second factors may be kept in PostgreSQL). */
  mfaOfTenant(tenantId: string): Promise<TenantMfa>;
  /** Absent: the identity part has no second factor to require. */
  setMfaRequired?: (tenantId: string, userId: string, required: boolean) => Promise<void>;
}

/** As long as tenant:admin's links: a day to open it, then the administrator makes another. */
export const passwordLinkLifetimeMs = 24 * 60 * 60 * 1000;

type UserMethod = 'addUser' | 'setUserActive' | 'deleteUser' | 'resetPassword' | 'setTotpRequired' | 'importUsers';
type UserHandlers = {
  [K in UserMethod]: (tenantId: string, args: Parameters<AdminApi[K]>[0], caller: AuthUser, t: Msg) => Promise<Awaited<ReturnType<AdminApi[K]>>>;
};

export function createUserAdmin(deps: UserAdminDeps) {
  const { directory, clock, log } = deps;
  const linkUrl = (token: string) => `${deps.publicUrl}/auth/set-password?t=${token}`;
  const expiry = (now: number) => new Date(now + passwordLinkLifetimeMs).toISOString();

  /** The admin API's view of users: the directory's, with what the identity part knows of their second
   * factor (one read for the tenant, however many users). */
  const withMfa = async (tenantId: string, users: readonly DirectoryUserView[]): Promise<DirectoryUserView[]> => {
    const mfa = await deps.mfaOfTenant(tenantId);
    // Someone with an app must use it at every sign-in (interaction.ts), required or not.
    return users.map((u) => ({ ...u, mfaEnrolled: mfa.enrolled.has(u.userId), mfaRequired: mfa.enrolled.has(u.userId) || mfa.required.has(u.userId) }));
  };
  const oneWithMfa = async (tenantId: string, u: DirectoryUserView): Promise<DirectoryUserView> => (await withMfa(tenantId, [u]))[0]!;
  const view = async (tenantId: string, userId: string): Promise<DirectoryUserView | undefined> => {
    const u = await directory.user(tenantId, userId);
    return u && (await directory.users(tenantId, u.upn)).find((v) => v.userId === userId);
  };

  const noSuchUser = (t: Msg) => t('No such user in this organization.');
  const noSuchOrganization = (t: Msg) => t('No such organization.');

  /** Users are kept here only for embedded tenants. */
  function embedded(tenantId: string, t: Msg): Ack<null> {
    const type = deps.identityType(tenantId);
    if (type === 'embedded') return ok(null);
    return fail('conflict', type === 'entra'
      ? t('This organization signs in with Microsoft Entra ID: its users are added, disabled and deleted there, not in Remote Help.')
      : t('This organization signs in with its OpenID Connect provider: its users are added, disabled and deleted there, not in Remote Help.'));
  }

  /** Disabling or deleting: never oneself (locked out mid-call), never the last active administrator.
   * The directory checks the latter again inside its write (a race between two administrators); this
   * one answers with the user's name. */
  async function mayRemove(tenantId: string, userId: string, caller: AuthUser, what: 'disable' | 'delete', t: Msg): Promise<Ack<null>> {
    if (userId === caller.userId) {
      return fail('conflict', what === 'disable'
        ? t('You cannot disable yourself: ask another administrator.')
        : t('You cannot delete yourself: ask another administrator.'));
    }
    const [u, definitions, all] = await Promise.all([directory.user(tenantId, userId), directory.roles(tenantId), directory.users(tenantId, '')]);
    if (!u) return fail('not-found', noSuchUser(t));
    const keepsAnAdmin = all.some((v) => v.userId !== userId && v.active && isAdmin(v.roles, definitions));
    if (u.active && isAdmin(u.roles, definitions) && !keepsAnAdmin) return lastAdmin(u.name, t);
    return ok(null);
  }
  const lastAdmin = (name: string, t: Msg) =>
    fail<null>('conflict', t(str`${name} is the organization's last active Remote Help Administrator: make someone else one first.`));

  function unknownRoles(definitions: readonly RoleDefinition[], roles: string[]): string[] {
    const defined = new Set(definitions.map((r) => r.name.toLowerCase()));
    return roles.filter((r) => !defined.has(r.toLowerCase()));
  }

  const handlers: UserHandlers = {
    async addUser(tenantId, req, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const [tenant, definitions] = await Promise.all([directory.tenant(tenantId), directory.roles(tenantId)]);
      if (!tenant) return fail('not-found', noSuchOrganization(t));
      const domain = req.upn.split('@')[1]!.toLowerCase();
      if (!tenant.verifiedDomains.includes(domain)) {
        const domains = tenant.verifiedDomains.join(', ');
        return fail('validation', t(str`${req.upn} is not at a verified domain of ${tenant.name} (${domains}).`));
      }
      const unknown = unknownRoles(definitions, req.roles ?? []);
      if (unknown.length) return fail('validation', t(str`No such role: ${unknown.join(', ')}.`));
      const taken = fail('conflict', t(str`${req.upn} already has an account.`));
      if (await directory.userByUpn(req.upn)) return taken;
      const now = clock.now();
      const roleNames = new Map(definitions.map((r) => [r.name.toLowerCase(), r.name]));
      let saved;
      try {
        saved = await directory.saveManagedUsers(tenantId, [{
          upn: req.upn, name: req.name, jobTitle: req.jobTitle ?? '', company: req.company ?? '',
          roles: (req.roles ?? []).map((r) => roleNames.get(r.toLowerCase()) ?? r),
        }], now, passwordLinkLifetimeMs);
      } catch (error) {
        // Added to another tenant since the check above (the directory refuses a UPN of another tenant);
        // anything else is a bug and stays one.
        if (await directory.userByUpn(req.upn)) return taken;
        throw error;
      }
      // Added by someone else since the check above: the save updated that user instead.
      const made = saved.created[0];
      if (!made) return taken;
      log.info('user added', { tenantId, userId: made.oid });
      return ok({ user: await oneWithMfa(tenantId, (await view(tenantId, made.oid))!), link: { upn: made.upn, url: linkUrl(made.token), expiresAt: expiry(now) } });
    },

    async setUserActive(tenantId, { userId, active }, caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      if (!active) {
        const may = await mayRemove(tenantId, userId, caller, 'disable', t);
        if (!may.ok) return may;
      }
      const r = await directory.setUserActive(tenantId, userId, active, { keepAnAdmin: true });
      if (!r.ok) return refused(tenantId, userId, r, t);
      log.info(active ? 'user enabled' : 'user disabled', { tenantId, userId });
      return ok(await oneWithMfa(tenantId, (await view(tenantId, userId))!));
    },

    async deleteUser(tenantId, { userId }, caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const may = await mayRemove(tenantId, userId, caller, 'delete', t);
      if (!may.ok) return may;
      const r = await directory.deleteUser(tenantId, userId, { keepAnAdmin: true });
      if (!r.ok) return refused(tenantId, userId, r, t);
      // A later user with the same id is not a thing (ids are random), but a stored secret outlives its use.
      await deps.setMfaRequired?.(tenantId, userId, false);
      log.info('user deleted', { tenantId, userId });
      return ok(null);
    },

    async resetPassword(tenantId, { userId }, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const u = await directory.user(tenantId, userId);
      if (!u) return fail('not-found', noSuchUser(t));
      const now = clock.now();
      // A reset is often asked for because the password may be known to someone else: it stops now,
      // and the link (which retires any earlier one) is the only way to a new one.
      await directory.retirePassword(tenantId, userId);
      const token = await directory.createPasswordLink(tenantId, userId, now, passwordLinkLifetimeMs);
      log.info('password reset', { tenantId, userId });
      return ok<PasswordLink>({ upn: u.upn, url: linkUrl(token), expiresAt: expiry(now) });
    },

    async setTotpRequired(tenantId, { userId, required }, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      if (!deps.setMfaRequired) return fail('conflict', t('This relay’s identity provider has no authenticator app to require.'));
      if (!(await directory.user(tenantId, userId))) return fail('not-found', noSuchUser(t));
      await deps.setMfaRequired(tenantId, userId, required);
      log.info(required ? 'authenticator app required' : 'authenticator app no longer required', { tenantId, userId });
      return ok(await oneWithMfa(tenantId, (await view(tenantId, userId))!));
    },

    async importUsers(tenantId, { csv }, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const [tenant, definitions] = await Promise.all([directory.tenant(tenantId), directory.roles(tenantId)]);
      if (!tenant) return fail('not-found', noSuchOrganization(t));
      const read = await readUserCsv(csv, {
        tenantId,
        domains: tenant.verifiedDomains,
        roles: new Map(definitions.map((r) => [r.name.toLowerCase(), r.name])),
        ownersOf: (upns) => directory.upnOwners(upns),
        t,
      });
      if (!read.ok) {
        if (read.tooLarge !== undefined) return fail('payload-too-large', read.tooLarge);
        const count = read.problems.length;
        const message = count === 1 ? t('Nothing was imported: 1 line to fix.') : t(str`Nothing was imported: ${count} lines to fix.`);
        return { ok: false, error: { code: 'validation', message, problems: read.problems } };
      }
      // The file may take the administrator role from the last people who have it: the directory checks
      // that in the transaction of the import, so nothing is written then.
      const now = clock.now();
      let saved;
      try {
        saved = await directory.saveManagedUsers(tenantId, read.users, now, passwordLinkLifetimeMs, { keepAnAdmin: true });
      } catch (error) {
        if (error instanceof LastAdministratorError) {
          return fail('conflict', t('Nothing was imported: the file takes the Remote Help Administrator role from every active administrator.'));
        }
        throw error;
      }
      const expiresAt = expiry(now);
      const links = saved.created.map((c) => ({ upn: c.upn, url: linkUrl(c.token), expiresAt }));
      const names = new Map(saved.created.map((c) => [c.upn, c.name]));
      const csvLines = ['upn,name,url,expiresAt', ...links.map((l) => [l.upn, names.get(l.upn), l.url, l.expiresAt].map(csvField).join(','))];
      log.info('users imported', { tenantId, created: saved.created.length, updated: saved.updated.length });
      const day = new Date(now).toISOString().slice(0, 10);
      return ok<UserImportResult>({
        created: saved.created.length,
        updated: saved.updated.length,
        links,
        linksCsv: { filename: `remote-help-password-links-${day}.csv`, csv: `${csvLines.join('\r\n')}\r\n` },
      });
    },
  };

  /** A refusal of the directory, in the administrator's language. */
  async function refused(tenantId: string, userId: string, r: Ack<null> & { ok: false }, t: Msg): Promise<Ack<never>> {
    if (r.error.code === 'not-found') return fail('not-found', noSuchUser(t));
    if (r.error.code === 'conflict' && r.error.message === lastAdministrator) {
      const name = (await directory.user(tenantId, userId))?.name ?? userId;
      return lastAdmin(name, t) as Ack<never>;
    }
    return r;
  }

  return { handlers, withMfa, oneWithMfa };
}
