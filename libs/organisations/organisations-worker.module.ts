import { Module } from '@nestjs/common';
import { OrganisationsModule } from './organisations.module.js';
import { SeriesHandlers } from './series.handlers.js';

@Module({ imports: [OrganisationsModule], providers: [SeriesHandlers] })
export class OrganisationsWorkerModule {}
