import { Module } from '@nestjs/common';
import { MatchingService } from '../matching/index.js';
import { OfferEngine } from './offer-engine.service.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';
import { OffersRepository } from './offers.repository.js';

@Module({
  providers: [OfferEngine, OfferResponsesService, OffersQueries, OffersRepository, MatchingService],
  exports: [OfferEngine, OfferResponsesService, OffersQueries, OffersRepository],
})
export class OffersModule {}
