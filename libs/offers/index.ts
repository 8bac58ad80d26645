export * from './bookings.service.js';
export * from './offer-links.controller.js';
export * from './offer-responses.service.js';
export * from './offers.dto.js';
export * from './offers.module.js';
export * from './offers.queries.js';
// Until the offers pages read their calendar entries through OffersQueries.
export { CALENDAR_SEQUENCE_SQL } from './sql/read-models.sql.js';
