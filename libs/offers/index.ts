export * from './bookings.service.js';
export * from './offer-links.controller.js';
export * from './offer-responses.service.js';
export * from './offers.dto.js';
export * from './offers.module.js';
export * from './offers.queries.js';
export * from './roster-messages.service.js';
export * from './waitlist.service.js';
