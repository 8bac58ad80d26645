import { Module } from '@nestjs/common';
import { OfferMailHandlers } from './offer-mail.handlers.js';
import { OffersModule } from './offers.module.js';

@Module({ imports: [OffersModule], providers: [OfferMailHandlers] })
export class OffersWorkerModule {}
