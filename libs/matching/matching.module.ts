import { Module } from '@nestjs/common';
import { MatchingRepository } from './matching.repository.js';
import { MatchingService } from './matching.service.js';

/** Owns the matching area's providers: one MatchingService, and one user of the search pool, per process. */
@Module({ providers: [MatchingRepository, MatchingService], exports: [MatchingService] })
export class MatchingModule {}
