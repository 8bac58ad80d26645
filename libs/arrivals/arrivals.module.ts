import { Module } from '@nestjs/common';
import { OffersModule } from '../offers/index.js';
import { ArrivalRecordsService } from './arrival-records.service.js';
import { ArrivalsRepository } from './arrivals.repository.js';
import { ArrivalsService } from './arrivals.service.js';
import { KioskService } from './kiosk.service.js';
import { NoShowsService } from './no-shows.service.js';

/** Arrival at the door: the QR code, the kiosk, the roster marks and the no-show sweep. */
@Module({
  imports: [OffersModule],
  providers: [ArrivalsRepository, ArrivalRecordsService, ArrivalsService, KioskService, NoShowsService],
  exports: [ArrivalsService, KioskService, NoShowsService],
})
export class ArrivalsModule {}
