import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ForbiddenError, UuidPipe, Allow, CurrentPrincipal, type Principal } from '../platform/index.js';
import type { ApiKey } from './identity.entities.js';
import { AcceptedResponseDto, ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, SignInRequestDto } from './identity.dto.js';
import { IdentityService } from './identity.service.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { AuthRateLimited } from './rate-limit.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly identity: IdentityService) {}

  @Post('sign-in')
  @Allow('public')
  @AuthRateLimited()
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a sign-in link' })
  @ApiAcceptedResponse({
    type: AcceptedResponseDto,
    description: 'Always the same answer, so addresses cannot be probed.',
  })
  async requestSignIn(@Body() body: SignInRequestDto): Promise<AcceptedResponseDto> {
    await this.identity.requestSignIn(body.email);
    return { message: 'If this address has an account, a sign-in link is on its way.' };
  }

  @Post('sign-out')
  @Allow('volunteer', 'coordinator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out (ends this session)' })
  @ApiNoContentResponse({ description: 'The session is over and its cookie cleared.' })
  async signOut(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (principal.kind === 'volunteer' || principal.kind === 'coordinator')
      await this.identity.signOut(principal.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}

/** API keys of an organisation; only its coordinators manage them (an API key cannot mint keys). */
@ApiTags('api keys')
@Controller('api/organisations/:organisationId/api-keys')
@Allow('coordinator')
export class ApiKeysController {
  constructor(private readonly identity: IdentityService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const accountId = assertCoordinatorOf(principal, organisationId);
    const { apiKey, key } = await this.identity.createApiKey(organisationId, body.name, accountId);
    return { ...toApiKeyDto(apiKey), key };
  }

  @Get()
  @ApiOperation({ summary: 'List the organisation’s API keys' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
  ): Promise<ApiKeyDto[]> {
    assertCoordinatorOf(principal, organisationId);
    return (await this.identity.listApiKeys(organisationId)).map(toApiKeyDto);
  }

  @Delete(':apiKeyId')
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiOkResponse({ type: ApiKeyDto, description: 'The key is revoked at once.' })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('apiKeyId', UuidPipe) apiKeyId: string,
  ): Promise<ApiKeyDto> {
    assertCoordinatorOf(principal, organisationId);
    return toApiKeyDto(await this.identity.revokeApiKey(organisationId, apiKeyId));
  }
}

function assertCoordinatorOf(principal: Principal, organisationId: string): string {
  if (principal.kind !== 'coordinator' || principal.organisationId !== organisationId) throw new ForbiddenError();
  return principal.accountId;
}

function toApiKeyDto(apiKey: ApiKey): ApiKeyDto {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    createdAt: apiKey.createdAt.toISOString(),
    lastUsedAt: apiKey.lastUsedAt?.toISOString() ?? null,
    revokedAt: apiKey.revokedAt?.toISOString() ?? null,
  };
}
