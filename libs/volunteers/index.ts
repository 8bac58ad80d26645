export * from './volunteer.entities.js';
export * from './volunteers.module.js';
export * from './volunteers.service.js';
export * from './uk-postcode.js';
export * from './account-export.dto.js';
export * from './volunteer.dto.js';
