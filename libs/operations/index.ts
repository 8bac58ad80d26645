export * from './core/month-hours.js';
export * from './core/stacked-columns.js';
export * from './core/staffing.js';
export * from './operations.controller.js';
export * from './operations.dto.js';
export * from './operations.module.js';
export * from './operations.service.js';
