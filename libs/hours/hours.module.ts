import { Module } from '@nestjs/common';
import { HoursStatementsService } from './hours-statements.service.js';
import { HoursRepository } from './hours.repository.js';
import { HoursService } from './hours.service.js';

@Module({
  providers: [HoursRepository, HoursService, HoursStatementsService],
  exports: [HoursService, HoursStatementsService],
})
export class HoursModule {}
