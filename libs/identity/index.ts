export * from './identity.entities.js';
export * from './identity.service.js';
export * from './identity.module.js';
export * from './organisation-access.js';
export * from './rate-limit.js';
export * from './email-change.service.js';
export * from './openapi-security.js';
export * from './cross-site.js';
export * from './identity.dto.js';
export * from './session-cookie.js';
// Route access metadata lives in platform/http (health and metrics use it too); areas take it from here,
// beside the guard that enforces it.
export { ALLOWED_PRINCIPALS, Allow, CurrentPrincipal, type Principal, type PrincipalKind } from '../platform/index.js';
