import { Module } from '@nestjs/common';
import { OrganisationsService } from './organisations.service.js';
import { ShiftsService } from './shifts.service.js';

@Module({ providers: [OrganisationsService, ShiftsService], exports: [OrganisationsService, ShiftsService] })
export class OrganisationsModule {}
