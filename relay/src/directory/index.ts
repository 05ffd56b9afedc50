export { createDirectory, createPgDirectory, defaultTenantSettings, type DirectoryStore, type DirectoryUser, type NewUser } from './sqlite-directory.js';
export { seedDemoTenants, demoTenants, demoUsers, demoDevices, demoPassword, financeSupportRole } from './demo-data.js';
export { builtInRoles } from './policy-tables.js';
export { lastAdministrator, LastAdministratorError } from './admin-guard.js';
