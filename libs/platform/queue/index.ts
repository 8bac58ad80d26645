export * from './job-names.js';
export * from './job-handler.decorator.js';
export * from './outbox.service.js';
export * from './outbox.entity.js';
export * from './queue.module.js';
export * from './redis-connection.js';
export * from './job-context.js';
