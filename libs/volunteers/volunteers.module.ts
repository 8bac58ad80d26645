import { Module } from '@nestjs/common';
import { geocoderProvider } from './geocoder.provider.js';
import { VolunteersRepository } from './volunteers.repository.js';
import { VolunteersService } from './volunteers.service.js';
import { WellbeingModule } from '../wellbeing/index.js';

@Module({
  imports: [WellbeingModule],
  providers: [VolunteersService, VolunteersRepository, geocoderProvider],
  exports: [VolunteersService],
})
export class VolunteersModule {}
