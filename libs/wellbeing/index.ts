export * from './core/trend-chart.js';
export * from './core/who5.js';
export * from './help-resources.js';
export * from './wellbeing.dto.js';
export * from './wellbeing.module.js';
export * from './wellbeing.service.js';
