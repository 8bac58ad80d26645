import { Module } from '@nestjs/common';
import { WellbeingRepository } from './wellbeing.repository.js';
import { WellbeingService } from './wellbeing.service.js';

/** The repository is exported for the worker's mail (WellbeingMailService). */
@Module({ providers: [WellbeingRepository, WellbeingService], exports: [WellbeingRepository, WellbeingService] })
export class WellbeingModule {}
