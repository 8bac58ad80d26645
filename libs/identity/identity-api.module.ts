import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysController, AuthController } from './identity.controller.js';
import { AuthGuard } from './auth.guard.js';
import { LinkPagesController } from './link-pages.controller.js';
import { EmailChangeController } from './email-change.controller.js';

/** Api-only: sign-in routes, link pages, API keys and the global AuthGuard. */
@Module({
  controllers: [AuthController, ApiKeysController, LinkPagesController, EmailChangeController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class IdentityApiModule {}
