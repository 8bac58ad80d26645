export * from './csrf.js';
export * from './forms.js';
export * from './labels.js';
export * from './page-extensions.js';
export * from './page-renderer.js';
export * from './time.js';
export * from './web-core.module.js';
export * from './web.module.js';
