export * from './core/local-time.js';
export * from './organisation.entities.js';
export * from './organisations.module.js';
export * from './organisations.service.js';
export * from './series.service.js';
export * from './shifts.service.js';
export * from './organisation.dto.js';
