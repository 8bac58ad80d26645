import { Module } from '@nestjs/common';
import { ArrivalsController } from './arrivals.controller.js';
import { ArrivalsModule } from './arrivals.module.js';

/** Arrivals' REST API (api process only); the pages live in libs/web/pages/arrivals. */
@Module({ imports: [ArrivalsModule], controllers: [ArrivalsController] })
export class ArrivalsApiModule {}
