export * from './arrivals.module.js';
export * from './arrivals.errors.js';
export * from './arrivals.service.js';
export * from './kiosk.service.js';
export * from './no-shows.service.js';
export type { ArrivalRecord } from './arrival-records.service.js';
export type { ArrivalShift, ArrivalSource } from './arrivals.repository.js';
export { arrivalWindow, kioskName, windowState, type ArrivalWindow } from './core/arrival-rules.js';
export * from './arrivals.dto.js';
