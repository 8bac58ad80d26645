import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/index.js';
import { BookingsService } from './bookings.service.js';
import { OfferEngine } from './offer-engine.service.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';
import { OffersRepository } from './offers.repository.js';

@Module({
  imports: [MatchingModule],
  providers: [OfferEngine, OfferResponsesService, OffersQueries, OffersRepository, BookingsService],
  exports: [OfferEngine, OfferResponsesService, OffersQueries, OffersRepository, BookingsService],
})
export class OffersModule {}
