import { Module, type OnModuleInit } from '@nestjs/common';
import { PageExtensions } from '../../page-extensions.js';
import { WebCoreModule } from '../../web-core.module.js';
import { OffersModule } from '../../../offers/index.js';
import { OrganisationsModule } from '../../../organisations/index.js';
import { BookingCalendar } from './booking-calendar.js';
import { CoordinatorAttendancePagesController } from './coordinator-attendance-pages.controller.js';
import { CoordinatorRosterMessagePagesController } from './coordinator-roster-message-pages.controller.js';
import { OffersPageSources } from './offers-page-sources.js';
import { VolunteerBookingPagesController } from './volunteer-booking-pages.controller.js';
import { VolunteerOfferPagesController } from './volunteer-offer-pages.controller.js';
import { VolunteerShiftPagesController } from './volunteer-shift-pages.controller.js';
import { VolunteerWaitlistPagesController } from './volunteer-waitlist-pages.controller.js';

/**
 * The offer pipeline's part of the web pages (api process): it fills the volunteer's home (pending
 * offers with Yes / No, upcoming bookings with calendar file and cancel, history) and the coordinator's fill
 * states and roster with attendance marking and roster messages, through the PageExtensions of libs/web.
 */
@Module({
  imports: [WebCoreModule, OffersModule, OrganisationsModule],
  controllers: [
    VolunteerOfferPagesController,
    VolunteerBookingPagesController,
    VolunteerShiftPagesController,
    VolunteerWaitlistPagesController,
    CoordinatorAttendancePagesController,
    CoordinatorRosterMessagePagesController,
  ],
  providers: [OffersPageSources, BookingCalendar],
})
export class OffersPagesModule implements OnModuleInit {
  constructor(
    private readonly extensions: PageExtensions,
    private readonly sources: OffersPageSources,
  ) {}

  onModuleInit(): void {
    this.extensions.useVolunteerActivity(this.sources);
    this.extensions.useShiftActivity(this.sources);
  }
}
