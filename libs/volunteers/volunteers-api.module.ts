import { Module } from '@nestjs/common';
import { VolunteersController } from './volunteers.controller.js';
import { VolunteersModule } from './volunteers.module.js';

@Module({ imports: [VolunteersModule], controllers: [VolunteersController] })
export class VolunteersApiModule {}
