import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../platform/index.js';
import { createGeocoder, type Geocoder } from './geocoder.js';

export type { Geocoder };
export const GEOCODER = Symbol('GEOCODER');

/** Picks the geocoder named by GEOCODER; a real one plugs in here without touching callers. */
export const geocoderProvider: Provider = {
  provide: GEOCODER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createGeocoder(config.GEOCODER),
};
