import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../platform/index.js';
import { BookingsService } from '../offers/index.js';
import { ArrivalsRepository } from './arrivals.repository.js';

/** The worker's side of arrivals: after a shift that used them, who never came. */
@Injectable()
export class NoShowsService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: ArrivalsRepository,
    private readonly bookings: BookingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Shifts that used arrivals and ended more than ARRIVAL_NO_SHOW_AFTER_MINUTES ago: their bookings
   * with no arrival and no mark become no-shows. Marks people made are kept.
   */
  async sweepNoShows(): Promise<number> {
    const endedBefore = new Date(Date.now() - this.config.ARRIVAL_NO_SHOW_AFTER_MINUTES * 60_000);
    return this.em.fork().transactional(async (tx) => {
      const rows = await this.repo.noShowCandidates(tx, endedBefore);
      return this.bookings.markNoShows(
        tx,
        rows.map((r) => r.id),
      );
    });
  }
}
