import { Module } from '@nestjs/common';
import { MatchingService } from '../matching/index.js';
import { OfferEngine } from './offer-engine.service.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';

@Module({
  providers: [OfferEngine, OfferResponsesService, OffersQueries, MatchingService],
  exports: [OfferEngine, OfferResponsesService, OffersQueries],
})
export class OffersModule {}
