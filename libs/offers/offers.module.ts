import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/index.js';
import { BookingsService } from './bookings.service.js';
import { CoverRepository } from './cover.repository.js';
import { CoverService } from './cover.service.js';
import { OfferEngine } from './offer-engine.service.js';
import { OfferResponsesService } from './offer-responses.service.js';
import { OffersQueries } from './offers.queries.js';
import { OffersRepository } from './offers.repository.js';
import { RosterMessagesRepository } from './roster-messages.repository.js';
import { RosterMessagesService } from './roster-messages.service.js';
import { WaitlistRepository } from './waitlist.repository.js';
import { WaitlistService } from './waitlist.service.js';

@Module({
  imports: [MatchingModule],
  providers: [
    OfferEngine,
    OfferResponsesService,
    OffersQueries,
    OffersRepository,
    BookingsService,
    RosterMessagesRepository,
    RosterMessagesService,
    WaitlistRepository,
    WaitlistService,
    CoverRepository,
    CoverService,
  ],
  exports: [
    OfferEngine,
    OfferResponsesService,
    OffersQueries,
    OffersRepository,
    BookingsService,
    RosterMessagesRepository,
    RosterMessagesService,
    WaitlistRepository,
    WaitlistService,
    CoverRepository,
    CoverService,
  ],
})
export class OffersModule {}
