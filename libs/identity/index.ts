export * from './identity.entities.js';
export * from './identity.service.js';
export * from './identity.module.js';
export * from './auth.decorators.js';
export * from './principal.js';
export * from './organisation-access.js';
export * from './rate-limit.js';
export * from './openapi-security.js';
