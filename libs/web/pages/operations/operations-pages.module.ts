import { Module, type OnModuleInit } from '@nestjs/common';
import { OperationsModule } from '../../../operations/index.js';
import { PageExtensions } from '../../page-extensions.js';
import { WebCoreModule } from '../../web-core.module.js';
import { CoordinatorDashboardPagesController } from './coordinator-dashboard-pages.controller.js';

/** The coordinator's staffing dashboard (/org/dashboard) and its link in their navigation. Api process only. */
@Module({ imports: [WebCoreModule, OperationsModule], controllers: [CoordinatorDashboardPagesController] })
export class OperationsPagesModule implements OnModuleInit {
  constructor(private readonly extensions: PageExtensions) {}

  onModuleInit(): void {
    this.extensions.addNavLink('coordinator', { href: '/org/dashboard', label: 'Dashboard' });
  }
}
