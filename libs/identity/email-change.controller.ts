import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ForbiddenError, Allow, CurrentPrincipal, type Principal } from '../platform/index.js';
import { EmailChangeService } from './email-change.service.js';
import { AcceptedResponseDto, ChangeEmailDto } from './identity.dto.js';
import { AuthRateLimited } from './rate-limit.js';

@ApiTags('auth')
@Controller('api/me/email')
@Allow('volunteer', 'coordinator')
export class EmailChangeController {
  constructor(private readonly changes: EmailChangeService) {}

  @Post()
  @AuthRateLimited()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Change your email address',
    description:
      'Sends a confirmation link to the new address and a notice (with a link that cancels) to the current one. ' +
      'Nothing changes until the link is used (POST /links/email-change); until then the current address signs in.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiConflictResponse({ description: 'The address belongs to another account (problem+json naming email).' })
  async request(@CurrentPrincipal() principal: Principal, @Body() body: ChangeEmailDto): Promise<AcceptedResponseDto> {
    if (principal.kind !== 'volunteer' && principal.kind !== 'coordinator') throw new ForbiddenError();
    await this.changes.request(principal.accountId, body.email);
    return { message: 'Check your new inbox: the change happens when you open the link we sent there.' };
  }
}
