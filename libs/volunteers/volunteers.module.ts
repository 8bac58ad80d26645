import { Module } from '@nestjs/common';
import { geocoderProvider } from './geocoder.provider.js';
import { VolunteersService } from './volunteers.service.js';

@Module({ providers: [VolunteersService, geocoderProvider], exports: [VolunteersService] })
export class VolunteersModule {}
