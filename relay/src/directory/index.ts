export { createDirectory, defaultTenantSettings, type DirectoryStore, type DirectoryUser, type NewUser } from './sqlite-directory.js';
export { seedDemoTenants, demoTenants, demoUsers, demoDevices, demoPassword } from './demo-data.js';
