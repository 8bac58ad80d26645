export * from './config/index.js';
export * from './database/index.js';
export * from './http/index.js';
export * from './mail/index.js';
export * from './observability/index.js';
export * from './queue/index.js';
