import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { Allow } from '../../../identity/index.js';
import { NotFoundError } from '../../../platform/index.js';
import { PageRenderer } from '../../page-renderer.js';
import { formatHours, HoursStatementsService } from '../../../hours/index.js';

const longDate = (iso: string) => DateTime.fromISO(iso).toFormat('d LLLL yyyy');

/**
 * The public page a statement's link opens: the figures as issued, and whether today's ledger still
 * agrees. Anyone holding the link may see it (that is its purpose); a wrong signature or unknown
 * reference is a 404 that tells nothing about what exists.
 */
@ApiExcludeController()
@Controller('verify/hours')
@Allow('public')
export class VerifyHoursPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly statements: HoursStatementsService,
  ) {}

  @Get(':token')
  async verify(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    let verification;
    try {
      verification = await this.statements.verify(token);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return this.pages.render(request, reply, 'hours/verify-unknown.eta', { title: 'Statement not found' }, 404);
    }
    const { statement, organisations, agrees, currentMinutes } = verification;
    reply.header('x-robots-tag', 'noindex');
    return this.pages.render(request, reply, 'hours/verify.eta', {
      title: 'Hours statement check',
      ref: statement.ref,
      volunteerName: statement.volunteer_name,
      organisation:
        statement.organisation_id === null ? null : (organisations[0]?.organisationName ?? 'the organisation'),
      period: `${statement.period_from ? longDate(statement.period_from) : 'First entry'} to ${longDate(statement.period_to)}`,
      issued: DateTime.fromJSDate(new Date(statement.issued_at), { zone: 'utc' }).toFormat("d LLLL yyyy, HH:mm 'UTC'"),
      totalHours: formatHours(statement.total_minutes),
      entryCount: statement.entry_count,
      organisations: organisations.map((o) => ({ ...o, hours: formatHours(o.minutes) })),
      lines: statement.entries.map((l) => ({ ...l, hours: formatHours(l.minutes), dateText: longDate(l.date) })),
      agrees,
      currentHours: formatHours(currentMinutes),
    });
  }
}
