// Every shape the browser and the server share, one noun per file. The browser packages may import
// a file directly (a smaller bundle) or this index; nothing here reaches into backend/src.
export * from './admin-reports.js';
export * from './channels.js';
export * from './conversations.js';
export * from './credentials.js';
export * from './deflection.js';
export * from './errors.js';
export * from './handoffs.js';
export * from './health.js';
export * from './messaging.js';
export * from './oauth1.js';
export * from './outbound.js';
export * from './page.js';
export * from './phone.js';
export * from './policy.js';
export * from './providers.js';
export * from './realtime.js';
export * from './reporting.js';
export * from './sessions.js';
export * from './settings.js';
export * from './sms.js';
export * from './template-values.js';
export * from './templates.js';
export * from './text.js';
export * from './webhooks.js';
