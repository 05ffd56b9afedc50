// The admin API's user management for embedded tenants (issue 7): the relay keeps these users, so their
// administrator adds, disables and deletes them, hands out set-password links and requires an
// authenticator app. A tenant that signs in through Entra or an OpenID provider manages its people
// there: every method here answers `conflict` for it. Disabling and deleting go through the directory's
// life cycle, whose listeners end the user's live sessions and close their sockets.
import { str } from '@lit/localize';
import {
  fail, ok, type Ack, type AdminApi, type DirectoryUserView, type PasswordLink, type UserImportResult,
} from '#protocol';
import type { DirectoryStore } from '../directory/index.js';
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
  mfaEnrolled(tenantId: string, userId: string): boolean;
  mfaRequired(tenantId: string, userId: string): boolean;
  /** Absent: the identity part has no second factor to require. */
  setMfaRequired?: (tenantId: string, userId: string, required: boolean) => void;
}

/** As long as tenant:admin's links: a day to open it, then the administrator makes another. */
export const passwordLinkLifetimeMs = 24 * 60 * 60 * 1000;

type UserMethod = 'addUser' | 'setUserActive' | 'deleteUser' | 'resetPassword' | 'setTotpRequired' | 'importUsers';
type UserHandlers = {
  [K in UserMethod]: (tenantId: string, args: Parameters<AdminApi[K]>[0], caller: AuthUser, t: Msg) => Awaited<ReturnType<AdminApi[K]>>;
};

export function createUserAdmin(deps: UserAdminDeps) {
  const { directory, clock, log } = deps;
  const linkUrl = (token: string) => `${deps.publicUrl}/auth/set-password?t=${token}`;
  const expiry = (now: number) => new Date(now + passwordLinkLifetimeMs).toISOString();

  /** The admin API's view of a user: the directory's, with what the identity part knows of their second factor. */
  const withMfa = (tenantId: string, u: DirectoryUserView): DirectoryUserView => {
    const enrolled = deps.mfaEnrolled(tenantId, u.userId);
    // Someone with an app must use it at every sign-in (interaction.ts), required or not.
    return { ...u, mfaEnrolled: enrolled, mfaRequired: enrolled || deps.mfaRequired(tenantId, u.userId) };
  };
  const view = (tenantId: string, userId: string): DirectoryUserView | undefined => {
    const u = directory.user(tenantId, userId);
    return u && directory.users(tenantId, u.upn).find((v) => v.userId === userId);
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

  /** The tenant must keep an active administrator other than the one this change takes away. */
  function keepsAnAdmin(tenantId: string, losing: string): boolean {
    const definitions = directory.roles(tenantId);
    return directory.users(tenantId, '').some((u) => u.userId !== losing && u.active && isAdmin(u.roles, definitions));
  }

  /** Disabling or deleting: never oneself (locked out mid-call), never the last active administrator. */
  function mayRemove(tenantId: string, userId: string, caller: AuthUser, what: 'disable' | 'delete', t: Msg): Ack<null> {
    if (userId === caller.userId) {
      return fail('conflict', what === 'disable'
        ? t('You cannot disable yourself: ask another administrator.')
        : t('You cannot delete yourself: ask another administrator.'));
    }
    const u = directory.user(tenantId, userId);
    if (!u) return fail('not-found', noSuchUser(t));
    if (u.active && isAdmin(u.roles, directory.roles(tenantId)) && !keepsAnAdmin(tenantId, userId)) {
      return fail('conflict', t(str`${u.name} is the organization's last active Remote Help Administrator: make someone else one first.`));
    }
    return ok(null);
  }

  function unknownRoles(tenantId: string, roles: string[]): string[] {
    const defined = new Set(directory.roles(tenantId).map((r) => r.name.toLowerCase()));
    return roles.filter((r) => !defined.has(r.toLowerCase()));
  }

  const handlers: UserHandlers = {
    addUser(tenantId, req, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const tenant = directory.tenant(tenantId);
      if (!tenant) return fail('not-found', noSuchOrganization(t));
      const domain = req.upn.split('@')[1]!.toLowerCase();
      if (!tenant.verifiedDomains.includes(domain)) {
        const domains = tenant.verifiedDomains.join(', ');
        return fail('validation', t(str`${req.upn} is not at a verified domain of ${tenant.name} (${domains}).`));
      }
      const unknown = unknownRoles(tenantId, req.roles ?? []);
      if (unknown.length) return fail('validation', t(str`No such role: ${unknown.join(', ')}.`));
      if (directory.userByUpn(req.upn)) return fail('conflict', t(str`${req.upn} already has an account.`));
      const now = clock.now();
      const roleNames = new Map(directory.roles(tenantId).map((r) => [r.name.toLowerCase(), r.name]));
      const saved = directory.saveManagedUsers(tenantId, [{
        upn: req.upn, name: req.name, jobTitle: req.jobTitle ?? '', company: req.company ?? '',
        roles: (req.roles ?? []).map((r) => roleNames.get(r.toLowerCase()) ?? r),
      }], now, passwordLinkLifetimeMs);
      const made = saved.created[0]!;
      log.info('user added', { tenantId, userId: made.oid });
      return ok({ user: withMfa(tenantId, view(tenantId, made.oid)!), link: { upn: made.upn, url: linkUrl(made.token), expiresAt: expiry(now) } });
    },

    setUserActive(tenantId, { userId, active }, caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      if (!active) {
        const may = mayRemove(tenantId, userId, caller, 'disable', t);
        if (!may.ok) return may;
      }
      const r = directory.setUserActive(tenantId, userId, active);
      if (!r.ok) return r.error.code === 'not-found' ? fail('not-found', noSuchUser(t)) : r;
      log.info(active ? 'user enabled' : 'user disabled', { tenantId, userId });
      return ok(withMfa(tenantId, view(tenantId, userId)!));
    },

    deleteUser(tenantId, { userId }, caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const may = mayRemove(tenantId, userId, caller, 'delete', t);
      if (!may.ok) return may;
      const r = directory.deleteUser(tenantId, userId);
      if (!r.ok) return r.error.code === 'not-found' ? fail('not-found', noSuchUser(t)) : r;
      // A later user with the same id is not a thing (ids are random), but a stored secret outlives its use.
      deps.setMfaRequired?.(tenantId, userId, false);
      log.info('user deleted', { tenantId, userId });
      return ok(null);
    },

    resetPassword(tenantId, { userId }, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const u = directory.user(tenantId, userId);
      if (!u) return fail('not-found', noSuchUser(t));
      const now = clock.now();
      // A reset is often asked for because the password may be known to someone else: it stops now,
      // and the link (which retires any earlier one) is the only way to a new one.
      directory.retirePassword(tenantId, userId);
      const token = directory.createPasswordLink(tenantId, userId, now, passwordLinkLifetimeMs);
      log.info('password reset', { tenantId, userId });
      return ok<PasswordLink>({ upn: u.upn, url: linkUrl(token), expiresAt: expiry(now) });
    },

    setTotpRequired(tenantId, { userId, required }, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      if (!deps.setMfaRequired) return fail('conflict', t('This relay’s identity provider has no authenticator app to require.'));
      if (!directory.user(tenantId, userId)) return fail('not-found', noSuchUser(t));
      deps.setMfaRequired(tenantId, userId, required);
      log.info(required ? 'authenticator app required' : 'authenticator app no longer required', { tenantId, userId });
      return ok(withMfa(tenantId, view(tenantId, userId)!));
    },

    importUsers(tenantId, { csv }, _caller, t) {
      const allowed = embedded(tenantId, t);
      if (!allowed.ok) return allowed;
      const tenant = directory.tenant(tenantId);
      if (!tenant) return fail('not-found', noSuchOrganization(t));
      const read = readUserCsv(csv, {
        tenantId,
        domains: tenant.verifiedDomains,
        roles: new Map(directory.roles(tenantId).map((r) => [r.name.toLowerCase(), r.name])),
        ownerOf: (upn) => directory.userByUpn(upn)?.tenantId,
        t,
      });
      if (!read.ok) {
        if (read.tooLarge !== undefined) return fail('payload-too-large', read.tooLarge);
        const count = read.problems.length;
        const message = count === 1 ? t('Nothing was imported: 1 line to fix.') : t(str`Nothing was imported: ${count} lines to fix.`);
        return { ok: false, error: { code: 'validation', message, problems: read.problems } };
      }
      // The file may take the administrator role from the last people who have it.
      const definitions = directory.roles(tenantId);
      const byUpn = new Map(read.users.map((u) => [u.upn.toLowerCase(), u]));
      const adminLeft = directory.users(tenantId, '').some((u) => u.active && isAdmin(byUpn.get(u.upn.toLowerCase())?.roles ?? u.roles, definitions))
        || read.users.some((u) => isAdmin(u.roles, definitions) && !directory.userByUpn(u.upn));
      if (!adminLeft) return fail('conflict', t('Nothing was imported: the file takes the Remote Help Administrator role from every active administrator.'));
      const now = clock.now();
      const saved = directory.saveManagedUsers(tenantId, read.users, now, passwordLinkLifetimeMs);
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

  return { handlers, withMfa };
}
