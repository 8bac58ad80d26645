export * from './core/match-list-state.js';
export { EXCLUSION_RULES, type ExclusionRule, type FitRule, type MatchWindow } from './core/exact-rules.js';
export { COUNT_SAMPLE } from './core/exclusion-counts.js';
export { RANK_POOL, type Match, type PairFit, type ShiftForVolunteer } from './core/matches.js';
export { runVolunteerWalk } from './diagnostics.js';
export { MatchingModule } from './matching.module.js';
export { MatchingService, type ShiftMatches } from './matching.service.js';
