import { Module } from '@nestjs/common';
import { MatchingService } from '../matching/index.js';
import { WellbeingMailHandlers } from './wellbeing-mail.handlers.js';
import { WellbeingModule } from './wellbeing.module.js';

@Module({ imports: [WellbeingModule], providers: [WellbeingMailHandlers, MatchingService] })
export class WellbeingWorkerModule {}
