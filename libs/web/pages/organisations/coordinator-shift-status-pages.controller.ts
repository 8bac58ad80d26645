import { Body, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { plural } from '../../../common/index.js';
import { UuidPipe } from '../../../platform/index.js';
import { Allow } from '../../../identity/index.js';
import { CancelShiftDto, OrganisationsService, ShiftsService } from '../../../organisations/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, text, validateAs } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { coordinatorOf } from './coordinator-pages.shared.js';

const CANCEL_MESSAGES = [{ field: 'reason', say: 'Keep the reason to 500 characters or fewer, or leave it empty' }];

/** Publishing a shift, and cancelling it after a confirmation page. Every POST needs the page's CSRF token. */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorShiftStatusPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly shifts: ShiftsService,
  ) {}

  @Post('shifts/:shiftId/publish')
  async publishShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    await this.shifts.publish(coordinator.organisationId, shiftId, coordinator.accountId);
    return this.pages.redirect(reply, `/org/shifts/${shiftId}?done=published`);
  }

  @Get('shifts/:shiftId/cancel')
  confirmCancelShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.renderCancelShift(request, reply, shiftId, new FormState({ reason: '' }));
  }

  @Post('shifts/:shiftId/cancel')
  async cancelShift(
    @Param('shiftId', UuidPipe) shiftId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const coordinator = coordinatorOf(request);
    const reason = text(asFormBody(body), 'reason');
    const { problems } = await validateAs(CancelShiftDto, reason ? { reason } : {});
    if (problems.length)
      return this.renderCancelShift(request, reply, shiftId, new FormState({ reason }, problems, CANCEL_MESSAGES), 422);
    await this.shifts.cancel(coordinator.organisationId, shiftId, coordinator.accountId, reason);
    return this.pages.redirect(reply, `/org/shifts/${shiftId}?done=cancelled`);
  }

  private async renderCancelShift(
    request: FastifyRequest,
    reply: FastifyReply,
    shiftId: string,
    form: FormState,
    status = 200,
  ) {
    const organisation = await this.organisations.get(coordinatorOf(request).organisationId);
    const shift = await this.shifts.get(organisation.id, shiftId);
    return this.pages.render(
      request,
      reply,
      'org/confirm.eta',
      {
        title: `Cancel “${shift.title}”?`,
        intro: `${shift.localTime}. ${shift.filled > 0 ? `${plural(shift.filled, { one: '# booked volunteer is', other: '# booked volunteers are' })} told by email.` : 'Nobody is booked yet.'} Pending offers are withdrawn. This cannot be undone.`,
        action: `/org/shifts/${shift.id}/cancel`,
        button: 'Cancel this shift',
        back: `/org/shifts/${shift.id}`,
        backLabel: 'Keep the shift',
        form,
        reasonHint:
          shift.filled > 0
            ? 'Booked volunteers read this in the cancellation email. Up to 500 characters.'
            : 'Kept with the shift. Up to 500 characters.',
      },
      status,
    );
  }
}
