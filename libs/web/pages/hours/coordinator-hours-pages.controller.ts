import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IsIn } from 'class-validator';
import { DateTime } from 'luxon';
import { IsOmittable, UuidPipe, type FieldProblem } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, plainMessage, problemsOf, text, validateAs, type MessageRule } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { coordinatorOf } from '../offers/principals.js';
import {
  csvFileName,
  HoursAdjustmentDto,
  HoursDecisionDto,
  HoursPeriodQueryDto,
  HoursService,
  organisationCsv,
} from '../../../hours/index.js';
import { entryView } from './hours-views.js';

/** Days the page shows when no period is asked for. */
const DEFAULT_DAYS = 30;

const ADJUST_MESSAGES: MessageRule[] = [
  { field: 'minutes', say: 'Enter the minutes to credit, a whole number from 0 to 1440' },
  { field: 'reason', say: 'Say why you change the hours (up to 500 characters); the volunteer sees it' },
];
const DECISION_MESSAGES: MessageRule[] = [{ field: 'note', say: 'Keep the note to 500 characters or fewer' }];

/** The page's query: the period, and which confirmation to show after a POST → redirect. */
class HoursPageQueryDto extends HoursPeriodQueryDto {
  @IsOmittable() @IsIn(['approve', 'decline', 'adjusted']) done?: 'approve' | 'decline' | 'adjusted';
}

/** A form on the page that failed: which entry, what was typed, and the problems in plain words. */
interface FailedForm {
  entryId: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** The coordinator's hours page: logged hours to decide, shift entries to adjust, the CSV export. */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorHoursPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly hours: HoursService,
  ) {}

  @Get('hours')
  show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: HoursPageQueryDto) {
    return this.render(request, reply, query, null, 200, query.done);
  }

  @Get('hours.csv')
  async csv(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: HoursPeriodQueryDto) {
    const entries = await this.hours.organisationHours(coordinatorOf(request).organisationId, query);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${csvFileName(query)}"`)
      .type('text/csv; charset=utf-8')
      .send(await organisationCsv(entries));
  }

  @Post('hours/:entryId/decision')
  async decide(
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = asFormBody(body);
    const values = { decision: text(form, 'decision'), note: text(form, 'note') };
    const plain = { decision: values.decision, ...(values.note ? { note: values.note } : {}) };
    const { dto, problems } = await validateAs(HoursDecisionDto, plain);
    const coordinator = coordinatorOf(request);
    if (!problems.length) {
      try {
        await this.hours.decide(
          coordinator.organisationId,
          entryId,
          dto.decision,
          dto.note ?? null,
          coordinator.accountId,
        );
        return this.pages.redirect(reply, `/org/hours?done=${dto.decision}#pending-heading`);
      } catch (error) {
        problems.push(...problemsOf(error));
      }
    }
    return this.render(request, reply, {}, failed(entryId, values, problems, DECISION_MESSAGES), 422);
  }

  @Post('hours/:entryId/adjustment')
  async adjust(
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = asFormBody(body);
    const values = { minutes: text(form, 'minutes'), reason: text(form, 'reason') };
    const plain = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    const { dto, problems } = await validateAs(HoursAdjustmentDto, plain);
    const coordinator = coordinatorOf(request);
    if (!problems.length) {
      try {
        await this.hours.adjust(coordinator.organisationId, entryId, dto, coordinator.accountId);
        return this.pages.redirect(reply, `/org/hours?done=adjusted#shift-hours-heading`);
      } catch (error) {
        problems.push(...problemsOf(error));
      }
    }
    return this.render(request, reply, {}, failed(entryId, values, problems, ADJUST_MESSAGES), 422);
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    period: HoursPeriodQueryDto,
    failure: FailedForm | null,
    status: number,
    done?: string,
  ) {
    const organisationId = coordinatorOf(request).organisationId;
    // Without a period the page shows the last 30 days, so a busy organisation's page stays short.
    const from = period.from ?? (period.to ? undefined : DateTime.utc().minus({ days: DEFAULT_DAYS }).toISODate()!);
    const [pending, entries] = await Promise.all([
      this.hours.organisationHours(organisationId, { status: 'pending' }),
      this.hours.organisationHours(organisationId, { from, to: period.to }),
    ]);
    const shifts = entries.filter((e) => e.kind === 'shift');
    const counted = entries.filter((e) => e.counts);
    const minutes = counted.reduce((sum, e) => sum + e.minutes, 0);
    const exportQuery = new URLSearchParams(
      Object.entries({ from: from ?? '', to: period.to ?? '' }).filter(([, v]) => v !== ''),
    ).toString();
    return this.pages.render(
      request,
      reply,
      'hours/org.eta',
      {
        title: 'Volunteer hours',
        pending: pending.map(entryView),
        shifts: shifts.slice().reverse().map(entryView),
        period: { from: from ?? '', to: period.to ?? '' },
        totalHours: Math.round((minutes / 60) * 100) / 100,
        countedEntries: counted.length,
        exportHref: `/org/hours.csv${exportQuery ? `?${exportQuery}` : ''}`,
        failure,
        done: done && DONE[done] ? DONE[done] : null,
      },
      status,
    );
  }
}

const DONE: Record<string, string> = {
  approve: 'The hours are approved and now count for the volunteer.',
  decline: 'The hours are declined; they do not count.',
  adjusted: 'The hours are adjusted; the volunteer sees the new figure and your reason.',
};

function failed(
  entryId: string,
  values: Record<string, string>,
  problems: FieldProblem[],
  rules: readonly MessageRule[],
): FailedForm {
  const errors: Record<string, string> = {};
  for (const p of problems) errors[p.field || 'form'] ??= plainMessage(rules, p.field, p.message);
  return { entryId, values, errors };
}
