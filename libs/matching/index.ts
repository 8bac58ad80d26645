export * from './core/match-list-state.js';
export * from './matching.module.js';
export * from './matching.service.js';
