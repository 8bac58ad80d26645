import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, LimitReachedError, type FieldProblem, UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { OrganisationsService, ShiftsService } from '../../../organisations/index.js';
import { RosterMessagesService, SendRosterMessageDto } from '../../../offers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, problemsOf, text, validateAs, type MessageRule } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { formatInstant } from '../../time.js';
import { coordinatorOf } from './principals.js';

const MESSAGE_RULES: MessageRule[] = [
  { field: 'subject', when: /blank|1 to/, say: 'Write a subject of at most 120 characters.' },
  { field: 'subject', when: /one line/, say: 'Keep the subject to one line.' },
  { field: 'body', say: 'Write a message of at most 2,000 characters.' },
  { field: 'roleId', say: 'Choose one of this shift’s roles, or everyone booked.' },
];

/**
 * A coordinator writes to everyone booked on one of their shifts, and sees what was sent before
 * with how many emails went out. Every POST needs the page's CSRF token.
 */
@ApiExcludeController()
@Controller('org/shifts')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorRosterMessagePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly shifts: ShiftsService,
    private readonly messages: RosterMessagesService,
  ) {}

  @Get(':shiftId/messages')
  show(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Query('done') done: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const sent = done === 'sent' ? 'Your message is on its way to everyone booked.' : null;
    return this.render(request, reply, shiftId, new FormState({ subject: '', body: '', roleId: '' }), sent);
  }

  @Post(':shiftId/messages')
  async send(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    const form = asFormBody(body);
    const values = { subject: text(form, 'subject'), body: text(form, 'body'), roleId: text(form, 'roleId') };
    // "Everyone booked" is the empty choice: no role.
    const { dto, problems } = await validateAs(SendRosterMessageDto, { ...values, roleId: values.roleId || undefined });
    const again = (found: FieldProblem[], status: number) =>
      this.render(request, reply, shiftId, new FormState(values, found, MESSAGE_RULES), null, status);
    if (problems.length) return again(problems, 422);
    try {
      await this.messages.send(coordinator.organisationId, shiftId, coordinator.accountId, dto);
    } catch (error) {
      if (error instanceof LimitReachedError) {
        void reply.header('retry-after', String(error.retryAfterSeconds));
        return again([{ field: '', message: error.message }], 429);
      }
      return again(problemsOf(error), error instanceof DomainError ? error.status : 422);
    }
    return this.pages.redirect(reply, `/org/shifts/${shiftId}/messages?done=sent`);
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    shiftId: string,
    form: FormState,
    done: string | null,
    status = 200,
  ) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const shift = await this.shifts.get(organisation.id, shiftId);
    const sent = await this.messages.list(organisation.id, shiftId);
    return this.pages.render(
      request,
      reply,
      'org/shift-messages.eta',
      {
        title: `Message the volunteers of “${shift.title}”`,
        shift,
        // The choice of role only where there is more than one to choose from.
        roles: shift.roles.length > 1 ? shift.roles.map((r) => ({ id: r.id, name: r.name })) : null,
        form,
        done,
        sent: sent.map((m) => ({
          subject: m.subject,
          body: m.body,
          when: formatInstant(new Date(m.created_at), organisation.timeZone),
          by: m.by_coordinator ? (m.sent_by_name ?? 'A coordinator') : 'Through the API',
          recipients: m.recipients,
          delivered: m.delivered,
          to: m.role_name ? `to ${m.role_name} only` : null,
        })),
      },
      status,
    );
  }
}
