import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/index.js';
import { MatchingController } from './matching.controller.js';
import { MatchingService } from './matching.service.js';

@Module({ imports: [OrganisationsModule], controllers: [MatchingController], providers: [MatchingService] })
export class MatchingApiModule {}
