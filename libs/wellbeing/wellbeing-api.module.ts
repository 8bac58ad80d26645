import { Module } from '@nestjs/common';
import { WellbeingLinksController } from './wellbeing-links.controller.js';
import { WellbeingController } from './wellbeing.controller.js';
import { WellbeingModule } from './wellbeing.module.js';

@Module({ imports: [WellbeingModule], controllers: [WellbeingLinksController, WellbeingController] })
export class WellbeingApiModule {}
