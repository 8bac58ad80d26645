export * from './arrivals.module.js';
export * from './arrivals.service.js';
export type { ArrivalShift, ArrivalSource } from './arrivals.repository.js';
export { arrivalWindow, kioskName, windowState, type ArrivalWindow } from './core/arrival-rules.js';
export * from './arrivals.dto.js';
