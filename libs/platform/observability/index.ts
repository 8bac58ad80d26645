export * from './logger.js';
export * from './health-indicators.js';
export * from './metrics.js';
