import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  JobHandler,
  JobName,
  type JobPayloads,
  DeliveryLogService,
} from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { MatchingService } from '../matching/index.js';
import { checkInEmail, shiftSuggestionsEmail } from './mail/wellbeing-emails.js';
import { formatLocalInterval } from '../organisations/index.js';
import { STOP_LINKS, STOP_LINK_TTL_SECONDS, type StoppableMail } from './stop-links.js';
import { WellbeingService } from './wellbeing.service.js';

/** Worker handlers for check-ins and the (opt-in, at most monthly) shift suggestions. */
@Injectable()
export class WellbeingMailHandlers {
  constructor(
    private readonly em: EntityManager,
    private readonly wellbeing: WellbeingService,
    private readonly identity: IdentityService,
    private readonly matching: MatchingService,
    private readonly deliveries: DeliveryLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.ScheduleCheckIns)
  async schedule() {
    return { scheduled: await this.wellbeing.scheduleDue() };
  }

  @JobHandler(JobName.CheckInEmail)
  checkIn({ checkInId }: JobPayloads[JobName.CheckInEmail]) {
    return this.deliveries.sendOnce(
      { kind: 'check-in', subjectId: checkInId },
      async (em) => {
        // Consent revoked, paused or cancelled since it was scheduled: nothing goes out.
        const [row] = await em.execute(
          `select c.volunteer_id, c.kind, a.email, v.name, s.title from check_ins c
         join volunteers v on v.account_id = c.volunteer_id join accounts a on a.id = c.volunteer_id
         left join bookings b on b.id = c.booking_id left join shifts s on s.id = b.shift_id
         where c.id = ? and c.status = 'scheduled' and v.check_in_consent_at is not null and v.status = 'active'`,
          [checkInId],
        );
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
        onSent: (em) =>
          em
            .execute(`update check_ins set status = 'sent', sent_at = now() where id = ?`, [checkInId])
            .then(() => undefined),
      },
    );
  }

  /** Volunteers who asked for suggestions and have not volunteered for 30 days: a few fitting regular shifts. */
  @JobHandler(JobName.SuggestShifts)
  async suggest() {
    const quiet: Array<{ account_id: string }> = await this.em.fork().execute(
      `select v.account_id from volunteers v join accounts a on a.id = v.account_id
       where v.suggestions_consent_at is not null and v.status = 'active' and a.email_verified_at is not null
         and (v.last_suggestion_at is null or v.last_suggestion_at < now() - interval '30 days')
         and not exists (select 1 from bookings b join shifts s on s.id = b.shift_id
                         where b.volunteer_id = v.account_id and b.status in ('confirmed', 'attended') and s.ends_at > now() - interval '30 days')
       limit 500`,
    );
    let sent = 0;
    for (const { account_id: volunteerId } of quiet) {
      const month = new Date().toISOString().slice(0, 7);
      const outcome = await this.deliveries.sendOnce(
        { kind: 'shift-suggestions', subjectId: `${volunteerId}:${month}`, accountId: volunteerId },
        async (em) => {
          const fitting = await this.matching.findShiftsForVolunteer(volunteerId, { limit: 20 });
          const ids = fitting.map((shift) => shift.shiftId);
          if (ids.length === 0) return null;
          const rows = await em.execute(
            `select s.id, s.title, s.starts_at, s.ends_at, o.name as organisation_name, v.time_zone, v.name as volunteer_name, a.email
           from shifts s join organisations o on o.id = s.organisation_id, volunteers v join accounts a on a.id = v.account_id
           where s.id = any(cast(? as uuid[])) and s.series_id is not null and v.account_id = ? order by s.starts_at limit 3`,
            [`{${ids.join(',')}}`, volunteerId],
          );
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
          onSent: (em) =>
            em
              .execute(`update volunteers set last_suggestion_at = now() where account_id = ?`, [volunteerId])
              .then(() => undefined),
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
