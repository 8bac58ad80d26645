import { Module } from '@nestjs/common';
import { OfferLinksController } from './offer-links.controller.js';
import { OffersController } from './offers.controller.js';
import { OffersModule } from './offers.module.js';

@Module({ imports: [OffersModule], controllers: [OfferLinksController, OffersController] })
export class OffersApiModule {}
