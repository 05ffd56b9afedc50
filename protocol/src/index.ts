export * from './ack.js';
export * from './errors.js';
export * from './models.js';
export * from './relay-events.js';
export * from './session-link.js';
export * from './desktop-api.js';
export * from './identity.js';
