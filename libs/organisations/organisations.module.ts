import { Module } from '@nestjs/common';
import { OrganisationsRepository } from './organisations.repository.js';
import { OrganisationsService } from './organisations.service.js';
import { SeriesService } from './series.service.js';
import { ShiftChangesService } from './shift-changes.service.js';
import { ShiftsService } from './shifts.service.js';

/** Organisations, their addresses, shifts and weekly series; the repository stays inside the area. */
@Module({
  providers: [OrganisationsRepository, OrganisationsService, ShiftChangesService, ShiftsService, SeriesService],
  exports: [OrganisationsService, ShiftsService, SeriesService],
})
export class OrganisationsModule {}
