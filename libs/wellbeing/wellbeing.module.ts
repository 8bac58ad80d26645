import { Module } from '@nestjs/common';
import { WellbeingService } from './wellbeing.service.js';

@Module({ providers: [WellbeingService], exports: [WellbeingService] })
export class WellbeingModule {}
