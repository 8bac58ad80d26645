import { Module } from '@nestjs/common';
import { OffersModule } from '../offers/index.js';
import { ArrivalsRepository } from './arrivals.repository.js';
import { ArrivalsService } from './arrivals.service.js';

/** Arrival at the door: the QR code, the kiosk, the roster marks and the no-show sweep. */
@Module({
  imports: [OffersModule],
  providers: [ArrivalsRepository, ArrivalsService],
  exports: [ArrivalsService],
})
export class ArrivalsModule {}
