import { Module } from '@nestjs/common';
import { AdminOrganisationsController, OrganisationsController } from './organisations.controller.js';
import { OrganisationsModule } from './organisations.module.js';

@Module({ imports: [OrganisationsModule], controllers: [AdminOrganisationsController, OrganisationsController] })
export class OrganisationsApiModule {}
