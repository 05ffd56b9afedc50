// The directory's schema on PostgreSQL (several nodes, DESIGN §12): the same tables and columns as the
// SQLite file at its latest version (schema.ts), created in one step. Case-insensitive names (UPNs, role,
// group and device names), which SQLite compares with COLLATE NOCASE, are unique here by lower(…)
// indexes, and the queries compare lower(…) on both stores. Times stay ISO text and epoch numbers as in
// SQLite, so rows copy over unchanged (the SQLite → PostgreSQL copy command); JSON stays text.
// Users and SCIM groups have a row_order identity column where SQLite has rowid (the order they were added).
// Applied by applyPgMigrations(pool, 'directory', directoryPgMigrations).
export const directoryPgMigrations: readonly string[] = [
  // 1: the SQLite schema's versions 1 to the latest, at once
  `CREATE TABLE tenants (
     id text PRIMARY KEY,
     name text NOT NULL,
     verified_domains text NOT NULL,
     settings text NOT NULL
   );
   CREATE TABLE users (
     oid text PRIMARY KEY,
     tenant_id text NOT NULL REFERENCES tenants(id),
     upn text NOT NULL,
     name text NOT NULL,
     job_title text NOT NULL,
     company text NOT NULL,
     photo_url text NOT NULL,
     password_hash text NOT NULL,
     roles text NOT NULL,
     groups text NOT NULL DEFAULT '[]',
     active integer NOT NULL DEFAULT 1,
     source text NOT NULL DEFAULT 'embedded',
     subject text,
     external_id text,
     scim text,
     created_at text,
     updated_at text
   );
   CREATE UNIQUE INDEX users_upn ON users (lower(upn));
   CREATE INDEX users_tenant ON users (tenant_id);
   CREATE UNIQUE INDEX users_subject ON users (tenant_id, subject) WHERE subject IS NOT NULL;
   CREATE INDEX users_external_id ON users (tenant_id, external_id) WHERE external_id IS NOT NULL;
   CREATE TABLE devices (
     id text PRIMARY KEY,
     tenant_id text NOT NULL REFERENCES tenants(id),
     name text NOT NULL,
     platform text NOT NULL,
     os_version text NOT NULL,
     primary_user text NOT NULL,
     enrolled integer NOT NULL,
     compliance text NOT NULL,
     compliance_reasons text NOT NULL,
     last_check_in text NOT NULL,
     updated_at text NOT NULL,
     groups text NOT NULL DEFAULT '[]',
     managed_by text NOT NULL DEFAULT 'import',
     approved integer NOT NULL DEFAULT 1,
     ownership text NOT NULL DEFAULT 'unknown',
     serial_number text NOT NULL DEFAULT '',
     manufacturer text NOT NULL DEFAULT '',
     model text NOT NULL DEFAULT '',
     enrolled_at text NOT NULL DEFAULT '',
     change_seq bigint NOT NULL DEFAULT 0
   );
   CREATE UNIQUE INDEX devices_name ON devices (tenant_id, lower(name));
   CREATE INDEX devices_source ON devices (tenant_id, managed_by, approved);
   CREATE INDEX devices_changes ON devices (tenant_id, change_seq);
   CREATE TABLE roles (
     tenant_id text NOT NULL REFERENCES tenants(id),
     id text NOT NULL,
     name text NOT NULL,
     definition text NOT NULL,
     PRIMARY KEY (tenant_id, id)
   );
   CREATE UNIQUE INDEX roles_name ON roles (tenant_id, lower(name));
   CREATE TABLE ca_rules (
     tenant_id text NOT NULL REFERENCES tenants(id),
     id text NOT NULL,
     rule text NOT NULL,
     PRIMARY KEY (tenant_id, id)
   );
   CREATE TABLE compliance_policies (
     tenant_id text PRIMARY KEY REFERENCES tenants(id),
     policy text NOT NULL
   );
   CREATE TABLE policy_revisions (
     tenant_id text PRIMARY KEY REFERENCES tenants(id),
     rules bigint NOT NULL
   );
   CREATE TABLE password_links (
     token_hash text PRIMARY KEY,
     tenant_id text NOT NULL REFERENCES tenants(id),
     oid text NOT NULL REFERENCES users(oid),
     expires_at bigint NOT NULL,
     used_at bigint
   );
   CREATE TABLE scim_groups (
     id text PRIMARY KEY,
     tenant_id text NOT NULL REFERENCES tenants(id),
     display_name text NOT NULL,
     external_id text,
     created_at text NOT NULL,
     updated_at text NOT NULL
   );
   CREATE UNIQUE INDEX scim_groups_name ON scim_groups (tenant_id, lower(display_name));
   CREATE INDEX scim_groups_external_id ON scim_groups (tenant_id, external_id) WHERE external_id IS NOT NULL;
   CREATE TABLE scim_group_members (
     group_id text NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
     oid text NOT NULL REFERENCES users(oid) ON DELETE CASCADE,
     PRIMARY KEY (group_id, oid)
   );
   CREATE INDEX scim_group_members_user ON scim_group_members (oid, group_id);
   CREATE TABLE deleted_people (
     tenant_id text NOT NULL REFERENCES tenants(id),
     subject text,
     upn text NOT NULL,
     deleted_at bigint NOT NULL
   );
   CREATE INDEX deleted_people_subject ON deleted_people (tenant_id, subject);
   CREATE INDEX deleted_people_upn ON deleted_people (tenant_id, lower(upn));
   CREATE TABLE device_removals (
     tenant_id text NOT NULL REFERENCES tenants(id),
     id text NOT NULL,
     removed_at text NOT NULL,
     change_seq bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (tenant_id, id)
   );
   CREATE INDEX device_removals_changes ON device_removals (tenant_id, change_seq);
   CREATE TABLE device_sync_state (
     tenant_id text NOT NULL REFERENCES tenants(id),
     source text NOT NULL,
     state text NOT NULL,
     PRIMARY KEY (tenant_id, source)
   );
   CREATE TABLE device_change_counter (
     id integer PRIMARY KEY CHECK (id = 1),
     seq bigint NOT NULL
   );`,
  // 2: the change counter's one row (SQLite's migration 8 inserts it); the order users and SCIM groups
  // were added in, which SQLite keeps as rowid and SCIM pages and member lists follow
  `INSERT INTO device_change_counter (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
   ALTER TABLE users ADD COLUMN row_order bigint GENERATED BY DEFAULT AS IDENTITY;
   ALTER TABLE scim_groups ADD COLUMN row_order bigint GENERATED BY DEFAULT AS IDENTITY;
   CREATE INDEX users_order ON users (tenant_id, row_order);
   CREATE INDEX scim_groups_order ON scim_groups (tenant_id, row_order);`,
];
