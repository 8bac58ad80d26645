import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidPipe } from '../../../platform/index.js';
import { Allow, CreateApiKeyDto, IdentityService } from '../../../identity/index.js';
import { OrganisationsService } from '../../../organisations/index.js';
import { CsrfGuard } from '../../csrf.js';
import { asFormBody, FormState, text, validateAs } from '../../forms.js';
import { PageRenderer } from '../../page-renderer.js';
import { formatInstant } from '../../time.js';
import { coordinatorOf, DONE } from './coordinator-pages.shared.js';

const API_KEY_MESSAGES = [
  { field: 'name', say: 'Enter a name for the key (up to 100 characters), like “Rota system”' },
];

/** The organisation's API keys: create one (shown once), list and revoke them. Every POST needs the CSRF token. */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
@UseGuards(CsrfGuard)
export class CoordinatorApiKeyPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
  ) {}

  @Get('api-keys')
  async apiKeys(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    return this.renderApiKeys(request, reply, new FormState(), null, DONE[query.done ?? ''] ?? null);
  }

  @Post('api-keys')
  async createApiKey(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const coordinator = coordinatorOf(request);
    const name = text(asFormBody(body), 'name');
    const { problems } = await validateAs(CreateApiKeyDto, { name });
    if (problems.length)
      return this.renderApiKeys(request, reply, new FormState({ name }, problems, API_KEY_MESSAGES), null, null, 422);
    const { apiKey, key } = await this.identity.createApiKey(coordinator.organisationId, name, coordinator.accountId);
    return this.renderApiKeys(request, reply, new FormState(), { name: apiKey.name, key }, null, 201);
  }

  @Post('api-keys/:apiKeyId/revoke')
  async revokeApiKey(
    @Param('apiKeyId', UuidPipe) apiKeyId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.identity.revokeApiKey(coordinatorOf(request).organisationId, apiKeyId);
    return this.pages.redirect(reply, '/org/api-keys?done=revoked');
  }

  private async renderApiKeys(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    created: { name: string; key: string } | null,
    done: string | null,
    status = 200,
  ) {
    const { organisationId } = coordinatorOf(request);
    const organisation = await this.organisations.get(organisationId);
    const keys = await this.identity.listApiKeys(organisationId);
    return this.pages.render(
      request,
      reply,
      'org/api-keys.eta',
      {
        title: 'API keys',
        organisation,
        form,
        created,
        done,
        keys: keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          revoked: Boolean(k.revokedAt),
          createdAt: formatInstant(k.createdAt, organisation.timeZone),
          lastUsedAt: k.lastUsedAt ? formatInstant(k.lastUsedAt, organisation.timeZone) : null,
          revokedAt: k.revokedAt ? formatInstant(k.revokedAt, organisation.timeZone) : null,
        })),
      },
      status,
    );
  }
}
