// The directory's side of SCIM provisioning: provisioned users are rows of the users table (so the
// identity provider, the trust screen and the policy see them like any other), with the SCIM attributes
// the columns do not hold kept as JSON; provisioned groups and their members have tables of their own,
// and every membership change, rename or deletion is written into the members' users.groups in the same
// transaction (every SCIM write of a tenant under the tenant's lock, see kept-sql.ts, so two nodes'
// PATCHes never lose one another's change), so role scopes and conditional access always see the groups the provisioning service set.
// Knows nothing of HTTP or of the SCIM wire format (relay/src/scim does).
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { fail, ok, type Ack } from '#protocol';
import type { AnyTables, KeptDb } from '../sql/kept-db.js';
import { all, first, groupBy, inChunks, inList, insertionOrder, locksOf, parseList, run, type Runner } from './kept-sql.js';
import { writeActive } from './user-lifecycle.js';
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
type GroupRef = { id: string; display_name: string };

const userColumns = sql.raw('oid, tenant_id, upn, name, job_title, company, photo_url, active, external_id, scim, created_at, updated_at');
const groupColumns = sql.raw('id, tenant_id, display_name, external_id, created_at, updated_at');
// Equalities on userName and displayName ignore case, as SCIM's caseExact=false attributes do.
const userKey = (key: UserKey) => ({
  id: sql`oid = ${key.value}`,
  userName: sql`lower(upn) = lower(${key.value})`,
  externalId: sql`external_id = ${key.value}`,
})[key.attribute];
const groupKey = (key: GroupKey) => ({
  id: sql`id = ${key.value}`,
  displayName: sql`lower(display_name) = lower(${key.value})`,
  externalId: sql`external_id = ${key.value}`,
})[key.attribute];

/** Tells the life cycle's listeners of a disabling, after the transaction that wrote it committed. */
export type TellDisabled = (tenantId: string, oid: string) => void;

type Trx = Transaction<AnyTables>;

export function createScimStore(kept: KeptDb, tellDisabled: TellDisabled): ScimStore {
  const { db } = kept;
  const locks = locksOf(kept);
  const userOrder = insertionOrder(kept);
  const groupOrder = insertionOrder(kept);
  const memberOrder = insertionOrder(kept, 'u');
  /** A tenant's write: the tenant's lock first, then `body`. */
  const writing = <T>(tenantId: string, body: (trx: Trx) => Promise<T>): Promise<T> =>
    db.transaction().execute(async (trx) => {
      await locks.tenant(trx, tenantId);
      return body(trx);
    });

  const userRow = (r: Runner, tenantId: string, oid: string) =>
    first(r, sql<UserRow>`SELECT ${userColumns} FROM users WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
  const groupRow = (r: Runner, tenantId: string, id: string) =>
    first(r, sql<GroupRow>`SELECT ${groupColumns} FROM scim_groups WHERE tenant_id = ${tenantId} AND id = ${id}`);
  const toUser = (r: UserRow, groups: readonly GroupRef[]): ScimUserRecord => ({
    oid: r.oid, tenantId: r.tenant_id, upn: r.upn, name: r.name, jobTitle: r.job_title, company: r.company, photoUrl: r.photo_url,
    active: r.active === 1, externalId: r.external_id,
    attributes: r.scim === null ? null : (JSON.parse(r.scim) as Record<string, unknown>),
    createdAt: r.created_at, updatedAt: r.updated_at,
    groups: groups.map((g) => ({ id: g.id, displayName: g.display_name })),
  });
  /** The users with their groups: one query for the memberships of all of them, not one per user. */
  const withGroups = async (r: Runner, rows: readonly UserRow[]): Promise<ScimUserRecord[]> => {
    const groups = new Map<string, (GroupRef & { oid: string })[]>();
    await inChunks(rows.map((u) => u.oid), 500, async (oids) => {
      const memberships = await all(r, sql<GroupRef & { oid: string }>`SELECT m.oid, g.id, g.display_name
        FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id WHERE m.oid IN ${inList(oids)} ORDER BY g.display_name`);
      for (const [oid, list] of groupBy(memberships, (m) => m.oid)) groups.set(oid, list);
    });
    return rows.map((u) => toUser(u, groups.get(u.oid) ?? []));
  };
  const userWithGroups = async (r: Runner, row: UserRow) => (await withGroups(r, [row]))[0]!;
  /** The groups with their members, if asked: one query for all of them. */
  const toGroups = async (r: Runner, rows: readonly GroupRow[], withMembers: boolean): Promise<ScimGroupRecord[]> => {
    const members = new Map<string, { oid: string; name: string }[]>();
    if (withMembers) {
      await inChunks(rows.map((g) => g.id), 500, async (ids) => {
        const list = await all(r, sql<{ group_id: string; oid: string; name: string }>`SELECT m.group_id, m.oid, u.name
          FROM scim_group_members m JOIN users u ON u.oid = m.oid WHERE m.group_id IN ${inList(ids)} ORDER BY ${memberOrder}`);
        for (const [id, of] of groupBy(list, (m) => m.group_id)) members.set(id, of.map((m) => ({ oid: m.oid, name: m.name })));
      });
    }
    return rows.map((g) => ({
      id: g.id, tenantId: g.tenant_id, displayName: g.display_name, externalId: g.external_id, createdAt: g.created_at, updatedAt: g.updated_at,
      ...(withMembers ? { members: members.get(g.id) ?? [] } : {}),
    }));
  };
  const toGroup = async (r: Runner, row: GroupRow, withMembers: boolean) => (await toGroups(r, [row], withMembers))[0]!;

  /** Rewrites one user's group names (users.groups), which may hold names from elsewhere (a token, the admin view). */
  const editGroupNames = async (trx: Trx, oid: string, edit: (names: string[]) => string[]) => {
    const row = await first(trx, sql<{ groups: string }>`SELECT groups FROM users WHERE oid = ${oid}`);
    if (!row) return;
    await run(trx, sql`UPDATE users SET groups = ${JSON.stringify(edit(parseList(row.groups)))} WHERE oid = ${oid}`);
  };
  const without = (name: string) => (names: string[]) => names.filter((n) => n !== name);
  const withName = (name: string) => (names: string[]) => (names.includes(name) ? names : [...names, name]);

  const upnTaken = async (trx: Trx, upn: string, oid: string | undefined) => {
    const owner = await first(trx, sql<{ oid: string }>`SELECT oid FROM users WHERE lower(upn) = lower(${upn})`);
    return owner !== undefined && owner.oid !== oid;
  };

  const createUser = (tenantId: string, u: ScimUserWrite & { active: boolean }, now: number) => writing(tenantId, async (trx): Promise<Ack<ScimUserRecord>> => {
    if (await upnTaken(trx, u.upn, undefined)) return fail('conflict', `The userName ${u.upn} is already in use.`);
    const oid = randomUUID();
    const at = new Date(now).toISOString();
    await run(trx, sql`INSERT INTO users (oid, tenant_id, upn, name, job_title, company, photo_url, password_hash, roles, groups, active, source,
        external_id, scim, created_at, updated_at)
      VALUES (${oid}, ${tenantId}, ${u.upn}, ${u.name}, ${u.jobTitle}, ${u.company}, ${u.photoUrl}, '', '[]', '[]', ${u.active ? 1 : 0}, 'scim',
        ${u.externalId}, ${JSON.stringify(u.attributes)}, ${at}, ${at})`);
    return ok(toUser((await userRow(trx, tenantId, oid))!, []));
  });
  const replaceUser = async (trx: Trx, tenantId: string, oid: string, u: ScimUserWrite, now: number): Promise<Ack<ScimUserRecord>> => {
    if (!(await userRow(trx, tenantId, oid))) return fail('not-found', `No user ${oid} in this organization.`);
    if (await upnTaken(trx, u.upn, oid)) return fail('conflict', `The userName ${u.upn} is already in use.`);
    const at = new Date(now).toISOString();
    await run(trx, sql`UPDATE users SET upn = ${u.upn}, name = ${u.name}, job_title = ${u.jobTitle}, company = ${u.company}, photo_url = ${u.photoUrl},
        external_id = ${u.externalId}, scim = ${JSON.stringify(u.attributes)}, created_at = COALESCE(created_at, ${at}), updated_at = ${at}
      WHERE tenant_id = ${tenantId} AND oid = ${oid}`);
    return ok(await userWithGroups(trx, (await userRow(trx, tenantId, oid))!));
  };

  const writeGroup = async (trx: Trx, tenantId: string, id: string | undefined, g: ScimGroupWrite, now: number): Promise<Ack<ScimGroupRecord>> => {
    const before = id === undefined ? undefined : await groupRow(trx, tenantId, id);
    if (id !== undefined && !before) return fail('not-found', `No group ${id} in this organization.`);
    const named = await first(trx, sql<{ id: string }>`SELECT id FROM scim_groups WHERE tenant_id = ${tenantId} AND lower(display_name) = lower(${g.displayName})`);
    if (named && named.id !== id) return fail('conflict', `A group named ${g.displayName} exists already.`);
    const wanted = new Set(g.members);
    // A group never holds a stranger: every member is a user of the tenant.
    const known = new Set<string>();
    await inChunks([...wanted], 500, async (oids) => {
      for (const r of await all(trx, sql<{ oid: string }>`SELECT oid FROM users WHERE tenant_id = ${tenantId} AND oid IN ${inList(oids)}`)) known.add(r.oid);
    });
    const unknown = g.members.filter((oid) => !known.has(oid));
    if (unknown.length) return fail('validation', `No user ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ' …' : ''} in this organization.`);
    const groupId = id ?? randomUUID();
    const at = new Date(now).toISOString();
    if (before) {
      await run(trx, sql`UPDATE scim_groups SET display_name = ${g.displayName}, external_id = ${g.externalId}, updated_at = ${at}
        WHERE tenant_id = ${tenantId} AND id = ${groupId}`);
    } else {
      await run(trx, sql`INSERT INTO scim_groups (id, tenant_id, display_name, external_id, created_at, updated_at)
        VALUES (${groupId}, ${tenantId}, ${g.displayName}, ${g.externalId}, ${at}, ${at})`);
    }
    const had = new Set(before ? (await all(trx, sql<{ oid: string }>`SELECT oid FROM scim_group_members WHERE group_id = ${groupId}`)).map((r) => r.oid) : []);
    const renamed = before !== undefined && before.display_name !== g.displayName;
    for (const oid of had) {
      if (!wanted.has(oid)) {
        await run(trx, sql`DELETE FROM scim_group_members WHERE group_id = ${groupId} AND oid = ${oid}`);
        await editGroupNames(trx, oid, without(before!.display_name));
      } else if (renamed) {
        await editGroupNames(trx, oid, (names) => withName(g.displayName)(without(before.display_name)(names)));
      }
    }
    const added = [...wanted].filter((oid) => !had.has(oid));
    await inChunks(added, 500, async (oids) => {
      await run(trx, sql`INSERT INTO scim_group_members (group_id, oid) VALUES ${sql.join(oids.map((oid) => sql`(${groupId}, ${oid})`))}
        ON CONFLICT DO NOTHING`);
    });
    for (const oid of added) await editGroupNames(trx, oid, withName(g.displayName));
    return ok(await toGroup(trx, (await groupRow(trx, tenantId, groupId))!, true));
  };

  return {
    async scimUser(tenantId, oid) {
      const row = await userRow(db, tenantId, oid);
      return row && userWithGroups(db, row);
    },
    async scimUsers(tenantId, where, page) {
      const filter = where ? sql`AND ${userKey(where)}` : sql``;
      const [count, rows] = await Promise.all([
        first(db, sql<{ n: number }>`SELECT COUNT(*) AS n FROM users WHERE tenant_id = ${tenantId} ${filter}`),
        all(db, sql<UserRow>`SELECT ${userColumns} FROM users WHERE tenant_id = ${tenantId} ${filter}
          ORDER BY ${userOrder} LIMIT ${page.limit} OFFSET ${page.offset}`),
      ]);
      return { total: Number(count?.n ?? 0), users: await withGroups(db, rows) };
    },
    async scimAllUsers(tenantId) {
      // One query for every membership of the tenant, not one per user.
      const groups = groupBy(await all(db, sql<GroupRef & { oid: string }>`SELECT m.oid, g.id, g.display_name
        FROM scim_groups g JOIN scim_group_members m ON m.group_id = g.id WHERE g.tenant_id = ${tenantId}`), (m) => m.oid);
      return (await all(db, sql<UserRow>`SELECT ${userColumns} FROM users WHERE tenant_id = ${tenantId} ORDER BY ${userOrder}`))
        .map((r) => toUser(r, groups.get(r.oid) ?? []));
    },
    createScimUser: createUser,
    replaceScimUser: (tenantId, oid, user, now) => writing(tenantId, (trx) => replaceUser(trx, tenantId, oid, user, now)),
    async updateScimUser(tenantId, oid, edit, now) {
      let disabled = false;
      const result = await writing(tenantId, async (trx) => {
        const row = await userRow(trx, tenantId, oid);
        if (!row) return fail('not-found', `No user ${oid} in this organization.`);
        const before = await userWithGroups(trx, row);
        const next = edit(before);
        if (!next.ok) return next;
        const { active, ...write } = next.value;
        const replaced = await replaceUser(trx, tenantId, oid, write, now);
        if (!replaced.ok) return replaced;
        if (active !== undefined && active !== null && active !== before.active) disabled = await writeActive(trx, tenantId, oid, active);
        return ok(await userWithGroups(trx, (await userRow(trx, tenantId, oid))!));
      });
      if (disabled && result.ok) tellDisabled(tenantId, oid);
      return result;
    },
    async scimGroup(tenantId, id, withMembers) {
      const row = await groupRow(db, tenantId, id);
      return row && toGroup(db, row, withMembers);
    },
    async scimGroups(tenantId, where, page, withMembers) {
      const filter = where ? sql`AND ${groupKey(where)}` : sql``;
      const [count, rows] = await Promise.all([
        first(db, sql<{ n: number }>`SELECT COUNT(*) AS n FROM scim_groups WHERE tenant_id = ${tenantId} ${filter}`),
        all(db, sql<GroupRow>`SELECT ${groupColumns} FROM scim_groups WHERE tenant_id = ${tenantId} ${filter}
          ORDER BY ${groupOrder} LIMIT ${page.limit} OFFSET ${page.offset}`),
      ]);
      return { total: Number(count?.n ?? 0), groups: await toGroups(db, rows, withMembers) };
    },
    scimAllGroups: async (tenantId, withMembers) =>
      toGroups(db, await all(db, sql<GroupRow>`SELECT ${groupColumns} FROM scim_groups WHERE tenant_id = ${tenantId} ORDER BY ${groupOrder}`), withMembers),
    createScimGroup: (tenantId, group, now) => writing(tenantId, (trx) => writeGroup(trx, tenantId, undefined, group, now)),
    replaceScimGroup: (tenantId, id, group, now) => writing(tenantId, (trx) => writeGroup(trx, tenantId, id, group, now)),
    updateScimGroup: (tenantId, id, edit, now) => writing(tenantId, async (trx) => {
      const row = await groupRow(trx, tenantId, id);
      if (!row) return fail('not-found', `No group ${id} in this organization.`);
      const next = edit(await toGroup(trx, row, true));
      if (!next.ok) return next;
      return writeGroup(trx, tenantId, id, next.value, now);
    }),
    deleteScimGroup: (tenantId, id) => writing(tenantId, async (trx): Promise<Ack<null>> => {
      const group = await groupRow(trx, tenantId, id);
      if (!group) return fail('not-found', `No group ${id} in this organization.`);
      for (const r of await all(trx, sql<{ oid: string }>`SELECT oid FROM scim_group_members WHERE group_id = ${id}`)) {
        await editGroupNames(trx, r.oid, without(group.display_name));
      }
      await run(trx, sql`DELETE FROM scim_groups WHERE tenant_id = ${tenantId} AND id = ${id}`);
      return ok(null);
    }),
  };
}
