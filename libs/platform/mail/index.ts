export * from './email-layout.js';
export * from './delivery-log.service.js';
export * from './mail-transport.service.js';
export * from './notifications.module.js';
export * from './email-delivery.entity.js';
export * from './message-id.js';
export * from './ical.js';
export * from './mail-database.js';
