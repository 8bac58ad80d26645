import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { VolunteersController } from './volunteers.controller.js';
import { VolunteersModule } from './volunteers.module.js';
import { VolunteersService } from './volunteers.service.js';

@Module({ imports: [VolunteersModule], controllers: [VolunteersController] })
export class VolunteersApiModule implements OnApplicationBootstrap {
  constructor(private readonly volunteers: VolunteersService) {}

  /** The place index is built before the api answers, so the first suggestion does not wait for it. */
  async onApplicationBootstrap(): Promise<void> {
    await this.volunteers.warmUp();
  }
}
