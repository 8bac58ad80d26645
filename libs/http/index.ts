export * from './domain-errors.js';
export * from './problem-details.filter.js';
export * from './validation.js';
export * from './params.js';
export * from './one-click.js';
export * from './openapi-problems.js';
export * from './openapi-decorators.js';
