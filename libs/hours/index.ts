export * from './core/credit.js';
export * from './core/statement.js';
export * from './hours-csv.js';
export type { HoursEntryView } from './hours-entries.js';
export * from './hours.dto.js';
export * from './hours.module.js';
export * from './hours.service.js';
export * from './hours-statements.service.js';
export * from './statement-pdf.js';
