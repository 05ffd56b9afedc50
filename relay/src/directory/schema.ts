// Schema migrations of the directory database, applied in order and recorded in PRAGMA user_version,
// so opening an existing file only runs what it has not seen yet.
import type Database from 'better-sqlite3';
import { applyMigrations } from '../sqlite/migrate.js';

export const directoryMigrations: readonly string[] = [
  // 1: tenants, users, devices
  `CREATE TABLE tenants (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     verified_domains TEXT NOT NULL,          -- JSON array of lower-case domains
     settings TEXT NOT NULL                   -- JSON TenantSettings
   );
   CREATE TABLE users (
     oid TEXT PRIMARY KEY,
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     upn TEXT NOT NULL COLLATE NOCASE UNIQUE,
     name TEXT NOT NULL,
     job_title TEXT NOT NULL,
     company TEXT NOT NULL,
     photo_url TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     roles TEXT NOT NULL                      -- JSON array of role names
   );
   CREATE INDEX users_tenant ON users(tenant_id);
   CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     name TEXT NOT NULL,
     platform TEXT NOT NULL,
     os_version TEXT NOT NULL,
     primary_user TEXT NOT NULL,
     enrolled INTEGER NOT NULL,
     compliance TEXT NOT NULL,
     compliance_reasons TEXT NOT NULL,        -- JSON array
     last_check_in TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX devices_delta ON devices(tenant_id, updated_at, id);`,
  // 2: groups, role definitions, conditional-access rules, compliance policy (issue 3)
  `ALTER TABLE users ADD COLUMN groups TEXT NOT NULL DEFAULT '[]';          -- JSON array of user groups
   ALTER TABLE devices ADD COLUMN groups TEXT NOT NULL DEFAULT '[]';        -- JSON array of device groups
   CREATE TABLE roles (
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     id TEXT NOT NULL,
     name TEXT NOT NULL COLLATE NOCASE,
     definition TEXT NOT NULL,                -- JSON RoleDefinition
     PRIMARY KEY (tenant_id, id),
     UNIQUE (tenant_id, name)
   );
   CREATE TABLE ca_rules (
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     id TEXT NOT NULL,
     rule TEXT NOT NULL,                      -- JSON CaRule
     PRIMARY KEY (tenant_id, id)
   );
   CREATE TABLE compliance_policies (
     tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
     policy TEXT NOT NULL                     -- JSON CompliancePolicy
   );
   CREATE TABLE policy_revisions (
     tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
     rules INTEGER NOT NULL
   );`,
  // 3: one-time links to set a password (an embedded tenant's first administrator, a reset)
  `CREATE TABLE password_links (
     token_hash TEXT PRIMARY KEY,             -- sha256 of the token: the link itself is never stored
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     oid TEXT NOT NULL REFERENCES users(oid),
     expires_at INTEGER NOT NULL,
     used_at INTEGER
   );`,
  // 4: users from other sources (Entra, an OpenID provider, SCIM) and their life cycle (issue 7)
  `ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;       -- 0: disabled (admin view, SCIM active=false)
   ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'embedded'; -- embedded | entra | oidc | scim: who made the row
   ALTER TABLE users ADD COLUMN subject TEXT;                            -- the identity provider's id (Entra oid, OIDC sub)
   ALTER TABLE users ADD COLUMN external_id TEXT;                        -- SCIM externalId
   CREATE UNIQUE INDEX users_subject ON users(tenant_id, subject) WHERE subject IS NOT NULL;`,
  // 5: SCIM provisioning (issue 7): what the columns do not hold of a provisioned user, and the groups
  // the provisioning service manages, with their members (users.groups lists their names, kept in step)
  `ALTER TABLE users ADD COLUMN scim TEXT;                                -- JSON: the SCIM attributes as provisioned
   ALTER TABLE users ADD COLUMN created_at TEXT;                          -- SCIM meta.created (ISO 8601)
   ALTER TABLE users ADD COLUMN updated_at TEXT;                          -- SCIM meta.lastModified
   CREATE INDEX users_external_id ON users(tenant_id, external_id) WHERE external_id IS NOT NULL;
   CREATE TABLE scim_groups (
     id TEXT PRIMARY KEY,
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     display_name TEXT NOT NULL COLLATE NOCASE,
     external_id TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (tenant_id, display_name)          -- users.groups holds names: two groups of one name would be one
   );
   CREATE INDEX scim_groups_external_id ON scim_groups(tenant_id, external_id) WHERE external_id IS NOT NULL;
   CREATE TABLE scim_group_members (
     group_id TEXT NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
     oid TEXT NOT NULL REFERENCES users(oid) ON DELETE CASCADE,
     PRIMARY KEY (group_id, oid)
   ) WITHOUT ROWID;
   CREATE INDEX scim_group_members_user ON scim_group_members(oid, group_id);`,
  // 6: people deleted from a tenant whose provider is outside (SCIM DELETE): their still-valid tokens
  // must not make them a fresh row; a new provisioning of the same UPN lets them back
  `CREATE TABLE deleted_people (
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     subject TEXT,                            -- the provider's id, when they had signed in
     upn TEXT NOT NULL COLLATE NOCASE,
     deleted_at INTEGER NOT NULL
   );
   CREATE INDEX deleted_people_subject ON deleted_people(tenant_id, subject);
   CREATE INDEX deleted_people_upn ON deleted_people(tenant_id, upn);`,
  // 7: where a device comes from (Intune, enrollment, import), its approval, ownership and hardware;
  // names unique per tenant (older duplicates get their id appended, once); removals the consoles'
  // delta sync must hear of; each device source's sync state (Intune's delta link) (issue 8)
  `ALTER TABLE devices ADD COLUMN managed_by TEXT NOT NULL DEFAULT 'import';
   ALTER TABLE devices ADD COLUMN approved INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE devices ADD COLUMN ownership TEXT NOT NULL DEFAULT 'unknown';
   ALTER TABLE devices ADD COLUMN serial_number TEXT NOT NULL DEFAULT '';
   ALTER TABLE devices ADD COLUMN manufacturer TEXT NOT NULL DEFAULT '';
   ALTER TABLE devices ADD COLUMN model TEXT NOT NULL DEFAULT '';
   ALTER TABLE devices ADD COLUMN enrolled_at TEXT NOT NULL DEFAULT '';
   UPDATE devices SET name = name || ' (' || substr(id, 1, 8) || ')'
     WHERE rowid NOT IN (SELECT MIN(rowid) FROM devices GROUP BY tenant_id, name COLLATE NOCASE);
   CREATE UNIQUE INDEX devices_name ON devices(tenant_id, name COLLATE NOCASE);
   CREATE INDEX devices_source ON devices(tenant_id, managed_by, approved);
   CREATE TABLE device_removals (
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     id TEXT NOT NULL,
     removed_at TEXT NOT NULL,
     PRIMARY KEY (tenant_id, id)
   ) WITHOUT ROWID;
   CREATE INDEX device_removals_delta ON device_removals(tenant_id, removed_at, id);
   CREATE TABLE device_sync_state (
     tenant_id TEXT NOT NULL REFERENCES tenants(id),
     source TEXT NOT NULL,
     state TEXT NOT NULL,                     -- JSON, the source's own (e.g. Intune's delta link)
     PRIMARY KEY (tenant_id, source)
   );`,
  // 8: the consoles' delta follows a change number, not a time: a writer with a clock behind (another
  // process, a script, a node) can no longer land a change behind a cursor already handed out. Existing
  // rows are numbered in their old (time, id) order, removals after them (issue 8)
  `CREATE TABLE device_change_counter (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     seq INTEGER NOT NULL
   );
   ALTER TABLE devices ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE device_removals ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
   UPDATE devices SET change_seq = o.n
     FROM (SELECT rowid AS r, ROW_NUMBER() OVER (ORDER BY updated_at, id) AS n FROM devices) AS o
     WHERE devices.rowid = o.r;
   UPDATE device_removals SET change_seq = o.n + (SELECT COUNT(*) FROM devices)
     FROM (SELECT tenant_id AS t, id AS i, ROW_NUMBER() OVER (ORDER BY removed_at, id) AS n FROM device_removals) AS o
     WHERE device_removals.tenant_id = o.t AND device_removals.id = o.i;
   INSERT INTO device_change_counter (id, seq) VALUES (1, (SELECT COUNT(*) FROM devices) + (SELECT COUNT(*) FROM device_removals));
   DROP INDEX devices_delta;
   DROP INDEX device_removals_delta;
   CREATE INDEX devices_changes ON devices(tenant_id, change_seq);
   CREATE INDEX device_removals_changes ON device_removals(tenant_id, change_seq);`,
  // 9: the queries are written once for SQLite and PostgreSQL (KeptDb) and compare names as lower(x) =
  // lower(?), which the NOCASE indexes above do not answer: the same lookups by lower(…) (SQLite's
  // lower() and NOCASE both fold ASCII only, so the two orders agree)
  `CREATE INDEX users_upn_lower ON users(lower(upn));
   CREATE INDEX devices_name_lower ON devices(tenant_id, lower(name));
   CREATE INDEX roles_name_lower ON roles(tenant_id, lower(name));
   CREATE INDEX scim_groups_name_lower ON scim_groups(tenant_id, lower(display_name));
   CREATE INDEX deleted_people_upn_lower ON deleted_people(tenant_id, lower(upn));`,
];

export const schemaVersion = directoryMigrations.length;

export function migrate(db: Database.Database): void {
  applyMigrations(db, 'directory.db', directoryMigrations);
}
