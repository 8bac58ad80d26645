export * from './volunteer.entities.js';
export * from '../common/skills-catalogue.js';
export * from './volunteers.module.js';
export * from './volunteers.service.js';
export * from './uk-postcode.js';
