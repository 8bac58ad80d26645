import { Module } from '@nestjs/common';
import { HoursModule } from '../hours/index.js';
import { OrganisationsModule } from '../organisations/index.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';

/** Running the week: the staffing dashboard's reads. */
@Module({
  imports: [OrganisationsModule, HoursModule],
  providers: [OperationsRepository, OperationsService],
  exports: [OperationsService],
})
export class OperationsModule {}
