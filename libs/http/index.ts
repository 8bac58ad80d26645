export * from './domain-errors.js';
export * from './driver-errors.js';
export * from './problem-details.filter.js';
export * from './validation.js';
export * from './params.js';
export * from './one-click.js';
export * from './numeric-input.js';
