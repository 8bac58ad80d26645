import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/index.js';
import { OfferEngine } from './offer-engine.service.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';

@Module({
  imports: [MatchingModule],
  providers: [OfferEngine, OfferResponsesService, OffersQueries],
  exports: [OfferEngine, OfferResponsesService, OffersQueries],
})
export class OffersModule {}
