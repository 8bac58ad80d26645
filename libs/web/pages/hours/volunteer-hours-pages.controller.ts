import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../../../identity/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, problemsOf, text, validateAs, type MessageRule } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { volunteerIdOf } from '../offers/principals.js';
import {
  HoursService,
  HoursStatementsService,
  LogHoursDto,
  statementCsv,
  statementPdf,
  StatementQueryDto,
  type IssuedStatement,
} from '../../../hours/index.js';
import { entryView, STATUS_WORDS } from './hours-views.js';

const LOG_FIELDS = ['organisationId', 'date', 'startTime', 'endTime', 'minutes', 'description'] as const;

const LOG_MESSAGES: MessageRule[] = [
  { field: 'organisationId', say: 'Choose the organisation you did the work for' },
  { field: 'date', when: /YYYY-MM-DD/, say: 'Enter the date of the work, for example 2026-11-28' },
  { field: 'startTime', when: /HH:MM/, say: 'Enter the start time as hours and minutes, for example 09:30' },
  { field: 'endTime', when: /HH:MM/, say: 'Enter the end time as hours and minutes, for example 12:00' },
  { field: 'minutes', when: /integer|number/, say: 'Enter the minutes as a whole number, for example 90' },
  { field: 'description', say: 'Say briefly what you did (up to 1000 characters)' },
];

/** The statement's file name, e.g. kindshift-hours-statement-K7Q2….pdf. */
const fileName = (statement: IssuedStatement, ext: 'csv' | 'pdf') =>
  `kindshift-hours-statement-${statement.ref}.${ext}`;

/** The volunteer's hours: totals, entries, logging off-platform work, statements. POSTs need the CSRF token. */
@ApiExcludeController()
@Controller('me/hours')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerHoursPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly hours: HoursService,
    private readonly statements: HoursStatementsService,
  ) {}

  @Get()
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const blank = Object.fromEntries(LOG_FIELDS.map((f) => [f, ''])) as Record<string, string>;
    return this.render(request, reply, new FormState(blank), 200, query.logged === '1');
  }

  @Post()
  async log(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = asFormBody(body);
    const values = Object.fromEntries(LOG_FIELDS.map((f) => [f, text(form, f)])) as Record<string, string>;
    const plain = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    const { dto, problems } = await validateAs(LogHoursDto, plain);
    if (problems.length) return this.render(request, reply, new FormState(values, problems, LOG_MESSAGES), 422);
    try {
      await this.hours.log(volunteerIdOf(request), dto);
    } catch (error) {
      return this.render(request, reply, new FormState(values, problemsOf(error), LOG_MESSAGES), 422);
    }
    return this.pages.redirect(reply, '/me/hours?logged=1#entries-heading');
  }

  @Get('statement.csv')
  async csv(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: StatementQueryDto) {
    const statement = await this.issue(request, query);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${fileName(statement, 'csv')}"`)
      .type('text/csv; charset=utf-8')
      .send(await statementCsv(statement));
  }

  @Get('statement.pdf')
  async pdf(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: StatementQueryDto) {
    const statement = await this.issue(request, query);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${fileName(statement, 'pdf')}"`)
      .type('application/pdf')
      .send(await statementPdf(statement));
  }

  private issue(request: FastifyRequest, query: StatementQueryDto) {
    return this.statements.issueStatement(volunteerIdOf(request), {
      organisationId: query.organisation,
      from: query.from,
      to: query.to,
    });
  }

  private async render(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, logged = false) {
    const volunteerId = volunteerIdOf(request);
    const [mine, organisations] = await Promise.all([
      this.hours.mine(volunteerId),
      this.hours.organisationsOf(volunteerId),
    ]);
    return this.pages.render(
      request,
      reply,
      'hours/mine.eta',
      {
        title: 'Your hours',
        totalHours: mine.totalHours,
        totals: mine.organisations.map((t) => ({ ...t, hours: (Math.round((t.minutes / 60) * 100) / 100).toString() })),
        entries: mine.entries.slice().reverse().map(entryView),
        organisations,
        statusWords: STATUS_WORDS,
        form,
        logged,
      },
      status,
    );
  }
}
