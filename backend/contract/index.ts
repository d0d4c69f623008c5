export * from './errors.js';
export * from './channels.js';
export * from './deflection.js';
export * from './handoffs.js';
export * from './messaging.js';
export * from './providers.js';
export * from './admin.js';
export * from './templates.js';
