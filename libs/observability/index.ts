export * from './logger.js';
export * from './redis-health.js';
