import { Module } from '@nestjs/common';
import { MatchingService } from './matching.service.js';

/** Owns the matching area's providers: one MatchingService (and so one search pool user) per process. */
@Module({ providers: [MatchingService], exports: [MatchingService] })
export class MatchingModule {}
