import { Module } from '@nestjs/common';
import { HoursRepository } from './hours.repository.js';
import { HoursService } from './hours.service.js';

@Module({ providers: [HoursRepository, HoursService], exports: [HoursService] })
export class HoursModule {}
