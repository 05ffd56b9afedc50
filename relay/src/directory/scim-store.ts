// The directory's side of SCIM provisioning: provisioned users are rows of the users table (so the
// identity provider, the trust screen and the policy see them like any other), with the SCIM attributes
// the columns do not hold kept as JSON; provisioned groups and their members have tables of their own,
// and every membership change, rename or deletion is written into the members' users.groups in the same
// transaction, so role scopes and conditional access always see the groups the provisioning service set.
// Knows nothing of HTTP or of the SCIM wire format (relay/src/scim does).
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { fail, ok, type Ack } from '#protocol';
import type { DirectoryUser } from './sqlite-directory.js';

/** A user as SCIM reads it: any user of the tenant, provisioned or not. */
export interface ScimUserRecord extends Pick<DirectoryUser, 'oid' | 'tenantId' | 'upn' | 'name' | 'jobTitle' | 'company' | 'photoUrl' | 'active'> {
  externalId: string | null;
  /** The SCIM attributes as provisioned; null for a user SCIM never wrote. */
  attributes: Record<string, unknown> | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** The provisioned groups the user is in. */
  groups: { id: string; displayName: string }[];
}

/** What a SCIM create or replace writes of a user (the active flag goes through the user's life cycle). */
export interface ScimUserWrite {
  upn: string;
  name: string;
  jobTitle: string;
  company: string;
  photoUrl: string;
  externalId: string | null;
  attributes: Record<string, unknown>;
}

export interface ScimGroupRecord {
  id: string;
  tenantId: string;
  displayName: string;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Absent when not asked for (excludedAttributes=members: a big group is not read for nothing). */
  members?: { oid: string; name: string }[];
}

export interface ScimGroupWrite {
  displayName: string;
  externalId: string | null;
  /** The complete member list (user ids of the same tenant). */
  members: string[];
}

/** An equality the database answers from an index; any other filter is applied to the resources. */
export type UserKey = { attribute: 'id' | 'userName' | 'externalId'; value: string };
export type GroupKey = { attribute: 'id' | 'displayName' | 'externalId'; value: string };

export interface Page { offset: number; limit: number }

/** What an edit of a stored record answers: the record to write, or why not (in the caller's own terms). */
export type Edit<T, F> = { ok: true; value: T } | { ok: false; error: F };

/** A user's whole new state for an edit; `active` undefined or null keeps it as it is. */
export type ScimUserEdit = ScimUserWrite & { active?: boolean | null | undefined };

export interface ScimStore {
  scimUser(tenantId: string, oid: string): Promise<ScimUserRecord | undefined>;
  /** One page of the tenant's users in a stable order (creation), and how many match in all. */
  scimUsers(tenantId: string, where: UserKey | undefined, page: Page): Promise<{ total: number; users: ScimUserRecord[] }>;
  /** Every user of the tenant, for filters no index answers. */
  scimAllUsers(tenantId: string): Promise<ScimUserRecord[]>;
  /** `conflict` when the UPN is taken (in any tenant: UPNs are unique across tenants). */
  createScimUser(tenantId: string, user: ScimUserWrite & { active: boolean }, now: number): Promise<Ack<ScimUserRecord>>;
  replaceScimUser(tenantId: string, oid: string, user: ScimUserWrite, now: number): Promise<Ack<ScimUserRecord>>;
  /** Reads the user, writes what `edit` makes of them (a PATCH, or a PUT that keeps `active` unless it
   * names it) and their active flag, in one transaction: two PATCHes at once never lose one another's
   * change. `edit` must not do I/O. A disabling is told to the life cycle's listeners. */
  updateScimUser<F>(tenantId: string, oid: string, edit: (current: ScimUserRecord) => Edit<ScimUserEdit, F>, now: number):
    Promise<Ack<ScimUserRecord> | { ok: false; error: F }>;
  scimGroup(tenantId: string, id: string, withMembers: boolean): Promise<ScimGroupRecord | undefined>;
  scimGroups(tenantId: string, where: GroupKey | undefined, page: Page, withMembers: boolean): Promise<{ total: number; groups: ScimGroupRecord[] }>;
  scimAllGroups(tenantId: string, withMembers: boolean): Promise<ScimGroupRecord[]>;
  /** `conflict` for a display name the tenant has already; `validation` for a member who is not a user of the tenant. */
  createScimGroup(tenantId: string, group: ScimGroupWrite, now: number): Promise<Ack<ScimGroupRecord>>;
  replaceScimGroup(tenantId: string, id: string, group: ScimGroupWrite, now: number): Promise<Ack<ScimGroupRecord>>;
  /** Reads the group with its members and writes what `edit` makes of it, in one transaction: members
   * added by two PATCHes at once are both kept. `edit` must not do I/O. */
  updateScimGroup<F>(tenantId: string, id: string, edit: (current: ScimGroupRecord) => Edit<ScimGroupWrite, F>, now: number):
    Promise<Ack<ScimGroupRecord> | { ok: false; error: F }>;
  deleteScimGroup(tenantId: string, id: string): Promise<Ack<null>>;
}

interface UserRow {
  oid: string; tenant_id: string; upn: string; name: string; job_title: string; company: string; photo_url: string;
  active: number; external_id: string | null; scim: string | null; created_at: string | null; updated_at: string | null;
}
interface GroupRow { id: string; tenant_id: string; display_name: string; external_id: string | null; created_at: string; updated_at: string }

const userColumns = 'oid, tenant_id, upn, name, job_title, company, photo_url, active, external_id, scim, created_at, updated_at';
const userKeyColumn = { id: 'oid', userName: 'upn', externalId: 'external_id' } as const;
const groupKeyColumn = { id: 'id', displayName: 'display_name', externalId: 'external_id' } as const;

/** The user life cycle's active flag, written inside the caller's transaction (listeners told by it). */
export type SetActive = (tenantId: string, oid: string, active: boolean) => void;

export function createScimStore(db: Database.Database, setActive: SetActive): ScimStore {
  const userWhere = (key: UserKey['attribute'] | 'none') => `tenant_id = @tenant${key === 'none' ? '' : ` AND ${userKeyColumn[key]} = @value`}`;
  const groupWhere = (key: GroupKey['attribute'] | 'none') => `tenant_id = @tenant${key === 'none' ? '' : ` AND ${groupKeyColumn[key]} = @value`}`;
  const keys = <K extends string>(k: readonly K[]) => [...k, 'none' as const];
  type Params = { tenant: string; value?: string | undefined; offset?: number; limit?: number };
  // One prepared statement per key: a list query is answered from an index, never by a scan of other tenants.
  const userPage = Object.fromEntries(keys(['id', 'userName', 'externalId'] as const).map((k) => [k, {
    rows: db.prepare<Params, UserRow>(`SELECT ${userColumns} FROM users WHERE ${userWhere(k)} ORDER BY rowid LIMIT @limit OFFSET @offset`),
    count: db.prepare<Params, { n: number }>(`SELECT COUNT(*) AS n FROM users WHERE ${userWhere(k)}`),
  }])) as Record<UserKey['attribute'] | 'none', { rows: Database.Statement<Params, UserRow>; count: Database.Statement<Params, { n: number }> }>;
  const groupPage = Object.fromEntries(keys(['id', 'displayName', 'externalId'] as const).map((k) => [k, {
    rows: db.prepare<Params, GroupRow>(`SELECT * FROM scim_groups WHERE ${groupWhere(k)} ORDER BY rowid LIMIT @limit OFFSET @offset`),
    count: db.prepare<Params, { n: number }>(`SELECT COUNT(*) AS n FROM scim_groups WHERE ${groupWhere(k)}`),
  }])) as Record<GroupKey['attribute'] | 'none', { rows: Database.Statement<Params, GroupRow>; count: Database.Statement<Params, { n: number }> }>;

  const q = {
    user: db.prepare<[string, string], UserRow>(`SELECT ${userColumns} FROM users WHERE tenant_id = ? AND oid = ?`),
    allUsers: db.prepare<[string], UserRow>(`SELECT ${userColumns} FROM users WHERE tenant_id = ? ORDER BY rowid`),
    upnOwner: db.prepare<[string], { oid: string }>('SELECT oid FROM users WHERE upn = ?'),
    insertUser: db.prepare(
      `INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, active, source,
         external_id, scim, created_at, updated_at)
       VALUES (@oid, @tenantId, @upn, @name, @jobTitle, @company, @photoUrl, '', '[]', '[]', @active, 'scim',
         @externalId, @attributes, @now, @now)`,
    ),
    replaceUser: db.prepare(
      `UPDATE users SET upn = @upn, name = @name, job_title = @jobTitle, company = @company, photo_url = @photoUrl,
         external_id = @externalId, scim = @attributes, created_at = COALESCE(created_at, @now), updated_at = @now
       WHERE tenant_id = @tenantId AND oid = @oid`,
    ),
    groupsOfUser: db.prepare<[string], { id: string; display_name: string }>(
      `SELECT g.id, g.display_name FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id WHERE m.oid = ? ORDER BY g.display_name`,
    ),
    groupsOfTenantUsers: db.prepare<[string], { oid: string; id: string; display_name: string }>(
      `SELECT m.oid, g.id, g.display_name FROM scim_groups g JOIN scim_group_members m ON m.group_id = g.id WHERE g.tenant_id = ?`,
    ),
    userGroupNames: db.prepare<[string], { groups: string }>('SELECT groups FROM users WHERE oid = ?'),
    setUserGroupNames: db.prepare('UPDATE users SET groups = ? WHERE oid = ?'),
    userInTenant: db.prepare<[string, string], { oid: string }>('SELECT oid FROM users WHERE tenant_id = ? AND oid = ?'),
    group: db.prepare<[string, string], GroupRow>('SELECT * FROM scim_groups WHERE tenant_id = ? AND id = ?'),
    allGroups: db.prepare<[string], GroupRow>('SELECT * FROM scim_groups WHERE tenant_id = ? ORDER BY rowid'),
    groupByName: db.prepare<[string, string], { id: string }>('SELECT id FROM scim_groups WHERE tenant_id = ? AND display_name = ?'),
    members: db.prepare<[string], { oid: string; name: string }>(
      'SELECT m.oid, u.name FROM scim_group_members m JOIN users u ON u.oid = m.oid WHERE m.group_id = ? ORDER BY u.rowid',
    ),
    memberIds: db.prepare<[string], string>('SELECT oid FROM scim_group_members WHERE group_id = ?').pluck(),
    insertGroup: db.prepare(
      `INSERT INTO scim_groups (id, tenant_id, display_name, external_id, created_at, updated_at)
       VALUES (@id, @tenantId, @displayName, @externalId, @now, @now)`,
    ),
    updateGroup: db.prepare(
      'UPDATE scim_groups SET display_name = @displayName, external_id = @externalId, updated_at = @now WHERE tenant_id = @tenantId AND id = @id',
    ),
    deleteGroup: db.prepare('DELETE FROM scim_groups WHERE tenant_id = ? AND id = ?'),
    addMember: db.prepare('INSERT OR IGNORE INTO scim_group_members (group_id, oid) VALUES (?, ?)'),
    removeMember: db.prepare('DELETE FROM scim_group_members WHERE group_id = ? AND oid = ?'),
  };

  const toUser = (r: UserRow, groups: { id: string; display_name: string }[]): ScimUserRecord => ({
    oid: r.oid, tenantId: r.tenant_id, upn: r.upn, name: r.name, jobTitle: r.job_title, company: r.company, photoUrl: r.photo_url,
    active: r.active === 1, externalId: r.external_id,
    attributes: r.scim === null ? null : (JSON.parse(r.scim) as Record<string, unknown>),
    createdAt: r.created_at, updatedAt: r.updated_at,
    groups: groups.map((g) => ({ id: g.id, displayName: g.display_name })),
  });
  const userWithGroups = (r: UserRow) => toUser(r, q.groupsOfUser.all(r.oid));
  const toGroup = (r: GroupRow, withMembers: boolean): ScimGroupRecord => ({
    id: r.id, tenantId: r.tenant_id, displayName: r.display_name, externalId: r.external_id, createdAt: r.created_at, updatedAt: r.updated_at,
    ...(withMembers ? { members: q.members.all(r.id) } : {}),
  });

  /** Rewrites one user's group names (users.groups), which may hold names from elsewhere (a token, the admin view). */
  const editGroupNames = (oid: string, edit: (names: string[]) => string[]) => {
    const row = q.userGroupNames.get(oid);
    if (!row) return;
    q.setUserGroupNames.run(JSON.stringify(edit(JSON.parse(row.groups) as string[])), oid);
  };
  const without = (name: string) => (names: string[]) => names.filter((n) => n !== name);
  const withName = (name: string) => (names: string[]) => (names.includes(name) ? names : [...names, name]);

  const upnTaken = (upn: string, oid: string | undefined) => {
    const owner = q.upnOwner.get(upn);
    return owner !== undefined && owner.oid !== oid;
  };
  const userValues = (tenantId: string, u: ScimUserWrite, now: number) => ({
    tenantId, upn: u.upn, name: u.name, jobTitle: u.jobTitle, company: u.company, photoUrl: u.photoUrl,
    externalId: u.externalId, attributes: JSON.stringify(u.attributes), now: new Date(now).toISOString(),
  });

  const createUser = db.transaction((tenantId: string, u: ScimUserWrite & { active: boolean }, now: number): Ack<ScimUserRecord> => {
    if (upnTaken(u.upn, undefined)) return fail('conflict', `The userName ${u.upn} is already in use.`);
    const oid = randomUUID();
    q.insertUser.run({ ...userValues(tenantId, u, now), oid, active: u.active ? 1 : 0 });
    return ok(toUser(q.user.get(tenantId, oid)!, []));
  });
  const replaceUser = db.transaction((tenantId: string, oid: string, u: ScimUserWrite, now: number): Ack<ScimUserRecord> => {
    if (!q.user.get(tenantId, oid)) return fail('not-found', `No user ${oid} in this organization.`);
    if (upnTaken(u.upn, oid)) return fail('conflict', `The userName ${u.upn} is already in use.`);
    q.replaceUser.run({ ...userValues(tenantId, u, now), oid });
    return ok(userWithGroups(q.user.get(tenantId, oid)!));
  });

  /** The member ids that are not users of the tenant (a group never holds a stranger). */
  const strangers = (tenantId: string, members: readonly string[]) => members.filter((oid) => !q.userInTenant.get(tenantId, oid));

  const writeGroup = db.transaction((tenantId: string, id: string | undefined, g: ScimGroupWrite, now: number): Ack<ScimGroupRecord> => {
    const before = id === undefined ? undefined : q.group.get(tenantId, id);
    if (id !== undefined && !before) return fail('not-found', `No group ${id} in this organization.`);
    const named = q.groupByName.get(tenantId, g.displayName);
    if (named && named.id !== id) return fail('conflict', `A group named ${g.displayName} exists already.`);
    const unknown = strangers(tenantId, g.members);
    if (unknown.length) return fail('validation', `No user ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ' …' : ''} in this organization.`);
    const groupId = id ?? randomUUID();
    const values = { id: groupId, tenantId, displayName: g.displayName, externalId: g.externalId, now: new Date(now).toISOString() };
    if (before) q.updateGroup.run(values);
    else q.insertGroup.run(values);
    const had = new Set(before ? q.memberIds.all(groupId) : []);
    const wanted = new Set(g.members);
    const renamed = before !== undefined && before.display_name !== g.displayName;
    for (const oid of had) {
      if (!wanted.has(oid)) {
        q.removeMember.run(groupId, oid);
        editGroupNames(oid, without(before!.display_name));
      } else if (renamed) {
        editGroupNames(oid, (names) => withName(g.displayName)(without(before.display_name)(names)));
      }
    }
    for (const oid of wanted) {
      if (had.has(oid)) continue;
      q.addMember.run(groupId, oid);
      editGroupNames(oid, withName(g.displayName));
    }
    return ok(toGroup(q.group.get(tenantId, groupId)!, true));
  });

  const updateUser = <F>(tenantId: string, oid: string, edit: (current: ScimUserRecord) => Edit<ScimUserEdit, F>, now: number) =>
    db.transaction((): Ack<ScimUserRecord> | { ok: false; error: F } => {
    const row = q.user.get(tenantId, oid);
    if (!row) return fail('not-found', `No user ${oid} in this organization.`);
    const before = userWithGroups(row);
    const next = edit(before);
    if (!next.ok) return next;
    const { active, ...write } = next.value;
    const replaced = replaceUser(tenantId, oid, write, now);
    if (!replaced.ok) return replaced;
    if (active !== undefined && active !== null && active !== before.active) setActive(tenantId, oid, active);
    return ok(userWithGroups(q.user.get(tenantId, oid)!));
  })();
  const updateGroup = <F>(tenantId: string, id: string, edit: (current: ScimGroupRecord) => Edit<ScimGroupWrite, F>, now: number) =>
    db.transaction((): Ack<ScimGroupRecord> | { ok: false; error: F } => {
    const row = q.group.get(tenantId, id);
    if (!row) return fail('not-found', `No group ${id} in this organization.`);
    const next = edit(toGroup(row, true));
    if (!next.ok) return next;
    return writeGroup(tenantId, id, next.value, now);
  })();

  const deleteGroup = db.transaction((tenantId: string, id: string): Ack<null> => {
    const group = q.group.get(tenantId, id);
    if (!group) return fail('not-found', `No group ${id} in this organization.`);
    for (const oid of q.memberIds.all(id)) editGroupNames(oid, without(group.display_name));
    q.deleteGroup.run(tenantId, id);
    return ok(null);
  });

  return {
    async scimUser(tenantId, oid) {
      const row = q.user.get(tenantId, oid);
      return row && userWithGroups(row);
    },
    async scimUsers(tenantId, where, page) {
      const statements = userPage[where?.attribute ?? 'none'];
      const params = { tenant: tenantId, value: where?.value };
      return {
        total: statements.count.get(params)!.n,
        users: statements.rows.all({ ...params, offset: page.offset, limit: page.limit }).map(userWithGroups),
      };
    },
    async scimAllUsers(tenantId) {
      // One query for every membership of the tenant, not one per user.
      const groups = new Map<string, { id: string; display_name: string }[]>();
      for (const m of q.groupsOfTenantUsers.all(tenantId)) {
        const list = groups.get(m.oid) ?? [];
        list.push(m);
        groups.set(m.oid, list);
      }
      return q.allUsers.all(tenantId).map((r) => toUser(r, groups.get(r.oid) ?? []));
    },
    createScimUser: async (tenantId, user, now) => createUser(tenantId, user, now),
    replaceScimUser: async (tenantId, oid, user, now) => replaceUser(tenantId, oid, user, now),
    updateScimUser: async (tenantId, oid, edit, now) => updateUser(tenantId, oid, edit, now),
    async scimGroup(tenantId, id, withMembers) {
      const row = q.group.get(tenantId, id);
      return row && toGroup(row, withMembers);
    },
    async scimGroups(tenantId, where, page, withMembers) {
      const statements = groupPage[where?.attribute ?? 'none'];
      const params = { tenant: tenantId, value: where?.value };
      return {
        total: statements.count.get(params)!.n,
        groups: statements.rows.all({ ...params, offset: page.offset, limit: page.limit }).map((r) => toGroup(r, withMembers)),
      };
    },
    scimAllGroups: async (tenantId, withMembers) => q.allGroups.all(tenantId).map((r) => toGroup(r, withMembers)),
    createScimGroup: async (tenantId, group, now) => writeGroup(tenantId, undefined, group, now),
    replaceScimGroup: async (tenantId, id, group, now) => writeGroup(tenantId, id, group, now),
    updateScimGroup: async (tenantId, id, edit, now) => updateGroup(tenantId, id, edit, now),
    deleteScimGroup: async (tenantId, id) => deleteGroup(tenantId, id),
  };
}
