export * from './mikro-orm.config.js';
export * from './database.module.js';
export * from './pg-array.js';
export * from './time-zone.js';
export * from './migration-advice.js';
export * from './dedicated-pool.js';
export * from './statement-batcher.js';
