import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/index.js';
import { MatchingController } from './matching.controller.js';
import { MatchingModule } from './matching.module.js';

@Module({ imports: [OrganisationsModule, MatchingModule], controllers: [MatchingController] })
export class MatchingApiModule {}
