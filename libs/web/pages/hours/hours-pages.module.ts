import { Module, type OnModuleInit } from '@nestjs/common';
import { PageExtensions } from '../../page-extensions.js';
import { WebCoreModule } from '../../web-core.module.js';
import { HoursModule } from '../../../hours/index.js';
import { CoordinatorHoursPagesController } from './coordinator-hours-pages.controller.js';
import { VerifyHoursPagesController } from './verify-hours-pages.controller.js';
import { VolunteerHoursPagesController } from './volunteer-hours-pages.controller.js';

/**
 * The hours pages (api process): the volunteer's /me/hours with statements, the coordinator's
 * /org/hours with approvals, adjustments and export, and the public statement check /verify/hours.
 */
@Module({
  imports: [WebCoreModule, HoursModule],
  controllers: [VolunteerHoursPagesController, CoordinatorHoursPagesController, VerifyHoursPagesController],
})
export class HoursPagesModule implements OnModuleInit {
  constructor(private readonly extensions: PageExtensions) {}

  onModuleInit(): void {
    this.extensions.addNavLink('volunteer', { href: '/me/hours', label: 'Hours' });
    this.extensions.addNavLink('coordinator', { href: '/org/hours', label: 'Hours' });
  }
}
