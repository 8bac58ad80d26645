export * from './domain-errors.js';
export * from './problem-details.filter.js';
export * from './validation.js';
export * from './params.js';
