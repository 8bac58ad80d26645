import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/index.js';
import { WellbeingMailHandlers } from './wellbeing-mail.handlers.js';
import { WellbeingModule } from './wellbeing.module.js';

@Module({ imports: [WellbeingModule, MatchingModule], providers: [WellbeingMailHandlers] })
export class WellbeingWorkerModule {}
