import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DeliveryLogService } from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { MatchingService } from '../matching/index.js';
import { formatLocalInterval } from '../organisations/index.js';
import { checkInEmail, shiftSuggestionsEmail } from './mail/wellbeing-emails.js';
import { STOP_LINKS, STOP_LINK_TTL_SECONDS, type StoppableMail } from './stop-links.js';
import { WellbeingRepository } from './wellbeing.repository.js';

/**
 * Sends check-ins and the (opt-in, at most monthly) shift suggestions, each at most once
 * (sendOnce). Link tokens are minted inside sendOnce and go only into the mail.
 */
@Injectable()
export class WellbeingMailService {
  constructor(
    private readonly repo: WellbeingRepository,
    private readonly identity: IdentityService,
    private readonly matching: MatchingService,
    private readonly deliveries: DeliveryLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  checkIn(checkInId: string) {
    return this.deliveries.sendOnce(
      { kind: 'check-in', subjectId: checkInId },
      async (em) => {
        // Consent revoked, paused or cancelled since it was scheduled: nothing goes out.
        const row = await this.repo.checkInMail(em, checkInId);
        if (!row) return null;
        const answer = await this.identity.issueLinkToken(
          row.volunteer_id,
          'check_in',
          this.config.CHECK_IN_LINK_TTL_HOURS * 3600,
          checkInId,
        );
        const mail = checkInEmail({
          volunteerName: row.name,
          kind: row.kind,
          shiftTitle: row.title ?? null,
          answerUrl: this.link('/links/check-in', answer),
          stopUrl: await this.stopUrl(row.volunteer_id, 'checkIns'),
        });
        return { to: row.email, from: this.config.CHECK_IN_MAIL_FROM ?? this.config.MAIL_FROM, ...mail };
      },
      {
        onSent: (em) => this.repo.markCheckInSent(em, checkInId),
      },
    );
  }

  /** Volunteers who asked for suggestions and have not volunteered for 30 days: a few fitting regular shifts. */
  async suggestShifts(): Promise<{ sent: number }> {
    const quiet = await this.repo.quietVolunteers();
    let sent = 0;
    for (const { account_id: volunteerId } of quiet) {
      const month = new Date().toISOString().slice(0, 7);
      const outcome = await this.deliveries.sendOnce(
        { kind: 'shift-suggestions', subjectId: `${volunteerId}:${month}`, accountId: volunteerId },
        async (em) => {
          const fitting = await this.matching.findShiftsForVolunteer(volunteerId, { limit: 20 });
          const ids = fitting.map((shift) => shift.shiftId);
          if (ids.length === 0) return null;
          const rows = await this.repo.suggestedShifts(em, ids, volunteerId);
          if (rows.length === 0) return null;
          const mail = shiftSuggestionsEmail({
            volunteerName: rows[0].volunteer_name,
            shifts: rows.map((r) => ({
              title: r.title,
              organisationName: r.organisation_name,
              localTime: formatLocalInterval(new Date(r.starts_at), new Date(r.ends_at), r.time_zone),
            })),
            pageUrl: `${this.base()}/me`,
            settingsUrl: `${this.base()}/me/wellbeing`,
            stopUrl: await this.stopUrl(volunteerId, 'suggestions'),
          });
          return { to: rows[0].email, ...mail };
        },
        {
          onSent: (em) => this.repo.markSuggestionSent(em, volunteerId),
        },
      );
      if (outcome === 'sent') sent += 1;
    }
    return { sent };
  }

  private async stopUrl(volunteerId: string, what: StoppableMail): Promise<string> {
    const { path, purpose } = STOP_LINKS[what];
    return this.link(path, await this.identity.issueLinkToken(volunteerId, purpose, STOP_LINK_TTL_SECONDS));
  }

  private base(): string {
    return this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
  }

  private link(path: string, token: string): string {
    return `${this.base()}${path}?token=${encodeURIComponent(token)}`;
  }
}
