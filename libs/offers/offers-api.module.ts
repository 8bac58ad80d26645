import { Module } from '@nestjs/common';
import { CoverController } from './cover.controller.js';
import { OfferLinksController } from './offer-links.controller.js';
import { OffersController } from './offers.controller.js';
import { OffersModule } from './offers.module.js';
import { RosterMessagesController } from './roster-messages.controller.js';
import { WaitlistController } from './waitlist.controller.js';

@Module({
  imports: [OffersModule],
  controllers: [OfferLinksController, OffersController, RosterMessagesController, WaitlistController, CoverController],
})
export class OffersApiModule {}
