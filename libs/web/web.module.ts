import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MatchingModule } from '../matching/index.js';
import { OrganisationsModule } from '../organisations/index.js';
import { VolunteersModule } from '../volunteers/index.js';
import { LinkPagesInterceptor } from './link-pages.interceptor.js';
import { CoordinatorApiKeyPagesController } from './pages/organisations/coordinator-api-key-pages.controller.js';
import { CoordinatorOverviewPagesController } from './pages/organisations/coordinator-overview-pages.controller.js';
import { CoordinatorSeriesPagesController } from './pages/organisations/coordinator-series-pages.controller.js';
import { CoordinatorShiftPagesController } from './pages/organisations/coordinator-shift-pages.controller.js';
import { CoordinatorShiftStatusPagesController } from './pages/organisations/coordinator-shift-status-pages.controller.js';
import { PublicPagesController, SessionPagesController } from './pages/public/public-pages.controller.js';
import { SignUpPagesController } from './pages/volunteers/sign-up-pages.controller.js';
import { VolunteerAccountPagesController } from './pages/volunteers/volunteer-account-pages.controller.js';
import { VolunteerHomePagesController } from './pages/volunteers/volunteer-home-pages.controller.js';
import { VolunteerProfilePagesController } from './pages/volunteers/volunteer-profile-pages.controller.js';
import { WebCoreModule } from './web-core.module.js';

/** Public pages: landing, privacy, operator links, sign-in and sign-out. */
@Module({ imports: [WebCoreModule], controllers: [PublicPagesController, SessionPagesController] })
export class PublicPagesModule {}

/** Volunteer pages: sign-up, home, profile, data export and deletion. */
@Module({
  imports: [WebCoreModule, VolunteersModule, OrganisationsModule, MatchingModule],
  controllers: [
    SignUpPagesController,
    VolunteerHomePagesController,
    VolunteerProfilePagesController,
    VolunteerAccountPagesController,
  ],
})
export class VolunteerPagesModule {}

/** Coordinator pages: shifts, series, matches and API keys of the signed-in coordinator's organisation. */
@Module({
  imports: [WebCoreModule, OrganisationsModule, MatchingModule, VolunteersModule],
  // Listed in route order: overview, shifts, series, API keys.
  controllers: [
    CoordinatorOverviewPagesController,
    CoordinatorShiftPagesController,
    CoordinatorShiftStatusPagesController,
    CoordinatorSeriesPagesController,
    CoordinatorApiKeyPagesController,
  ],
})
export class CoordinatorPagesModule {}

/**
 * The server-rendered web pages (api process only). One pages module per area; the offers and
 * wellbeing areas add theirs beside these (see page-extensions.ts for how they fill the sections
 * of the volunteer's home and the coordinator's shift pages).
 */
@Module({
  imports: [WebCoreModule, PublicPagesModule, VolunteerPagesModule, CoordinatorPagesModule],
  providers: [{ provide: APP_INTERCEPTOR, useClass: LinkPagesInterceptor }],
})
export class WebModule {}
