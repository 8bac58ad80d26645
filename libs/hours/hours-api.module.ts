import { Module } from '@nestjs/common';
import { MyHoursController, OrganisationHoursController } from './hours.controller.js';
import { HoursModule } from './hours.module.js';

@Module({ imports: [HoursModule], controllers: [MyHoursController, OrganisationHoursController] })
export class HoursApiModule {}
