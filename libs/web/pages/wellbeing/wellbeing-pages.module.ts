import { Module, type OnModuleInit } from '@nestjs/common';
import { PageExtensions } from '../../page-extensions.js';
import { WebCoreModule } from '../../web-core.module.js';
import { WellbeingPagesController } from './wellbeing-pages.controller.js';
import { WellbeingModule } from '../../../wellbeing/index.js';

/**
 * The volunteer's wellbeing page (/me/wellbeing: consent, answers, trend, help lines) and its link in
 * the volunteer navigation. Api process only; the check-in link pages live in WellbeingApiModule.
 */
@Module({
  imports: [WebCoreModule, WellbeingModule],
  controllers: [WellbeingPagesController],
})
export class WellbeingPagesModule implements OnModuleInit {
  constructor(private readonly extensions: PageExtensions) {}

  onModuleInit(): void {
    this.extensions.addNavLink('volunteer', { href: '/me/wellbeing', label: 'Wellbeing' });
  }
}
