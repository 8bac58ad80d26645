import { Module, type OnModuleInit } from '@nestjs/common';
import { ArrivalsModule } from '../../../arrivals/index.js';
import { PageExtensions } from '../../page-extensions.js';
import { WebCoreModule } from '../../web-core.module.js';
import { ArrivalPageSources } from './arrival-page-sources.js';
import { CoordinatorArrivalPagesController } from './coordinator-arrival-pages.controller.js';
import { KioskPagesController } from './kiosk-pages.controller.js';
import { VolunteerArrivalPagesController } from './volunteer-arrival-pages.controller.js';

/**
 * Arrival at the door (api process): the QR page on the volunteer's phone, the kiosk, the poster,
 * and the QR code and door records on the coordinator's shift page (through PageExtensions).
 */
@Module({
  imports: [WebCoreModule, ArrivalsModule],
  controllers: [VolunteerArrivalPagesController, CoordinatorArrivalPagesController, KioskPagesController],
  providers: [ArrivalPageSources],
})
export class ArrivalPagesModule implements OnModuleInit {
  constructor(
    private readonly extensions: PageExtensions,
    private readonly sources: ArrivalPageSources,
  ) {}

  onModuleInit(): void {
    this.extensions.useShiftArrivals(this.sources);
  }
}
