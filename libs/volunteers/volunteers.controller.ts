import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, AuthRateLimited, CurrentPrincipal, type Principal } from '../identity/index.js';
import { SKILLS_CATALOGUE } from '../common/index.js';
import { AccountExportDto } from './account-export.dto.js';
import {
  GeocodedAreaDto,
  GeocodeQueryDto,
  RegisteredDto,
  RegisterVolunteerDto,
  SkillDto,
  UpdateVolunteerDto,
  VolunteerProfileDto,
} from './volunteer.dto.js';
import { VolunteersService } from './volunteers.service.js';

const volunteerId = (principal: Principal) => (principal as Extract<Principal, { kind: 'volunteer' }>).accountId;

@ApiTags('volunteers')
@Controller('api')
export class VolunteersController {
  constructor(private readonly volunteers: VolunteersService) {}

  @Post('volunteers')
  @Allow('public')
  @AuthRateLimited()
  @HttpCode(202)
  @ApiOperation({ summary: 'Register as a volunteer' })
  @ApiAcceptedResponse({
    type: RegisteredDto,
    description:
      'A confirmation email is on its way. The same answer is given for an address that already has an account.',
  })
  async register(@Body() body: RegisterVolunteerDto): Promise<RegisteredDto> {
    await this.volunteers.register(body);
    return { message: 'Thanks! Check your inbox to confirm your email.' };
  }

  @Get('me')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Get your profile' })
  @ApiOkResponse({ type: VolunteerProfileDto })
  me(@CurrentPrincipal() principal: Principal): Promise<VolunteerProfileDto> {
    return this.volunteers.profile(volunteerId(principal));
  }

  @Patch('me')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Change your profile' })
  @ApiOkResponse({ type: VolunteerProfileDto })
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateVolunteerDto): Promise<VolunteerProfileDto> {
    return this.volunteers.update(volunteerId(principal), body);
  }

  @Get('me/export')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Export everything about you' })
  @ApiOkResponse({ type: AccountExportDto, description: 'Everything Kindshift stores about you, as JSON' })
  async export(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('content-disposition', 'attachment; filename="kindshift-export.json"');
    return this.volunteers.export(volunteerId(principal));
  }

  @Delete('me')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Delete your account and everything about you' })
  @HttpCode(204)
  @ApiNoContentResponse({
    description:
      'Your account and everything about you is deleted; your bookings and offers stay on the organisations’ rosters as an anonymous "Former volunteer", and your upcoming places are given back.',
  })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.volunteers.deleteAccount(volunteerId(principal));
    reply.clearCookie('ks_session', { path: '/' });
  }

  @Get('skills')
  @Allow('public')
  @ApiOperation({ summary: 'List the skills catalogue' })
  @ApiOkResponse({ type: [SkillDto] })
  skills(): SkillDto[] {
    return SKILLS_CATALOGUE.map((skill) => ({ ...skill }));
  }

  @Get('geocode')
  @Allow('public')
  @ApiOperation({ summary: 'Suggest towns and areas for a home area (offline gazetteer)' })
  @ApiOkResponse({
    type: [GeocodedAreaDto],
    description: 'Towns and areas matching the query, best first; [] when none',
  })
  @ApiNotFoundResponse({
    description: 'q looks like a UK postcode, which the offline gazetteer does not know (problem+json naming q)',
  })
  async geocode(@Query() query: GeocodeQueryDto): Promise<GeocodedAreaDto[]> {
    const areas = await this.volunteers.suggestPlaces(query.q, query.country);
    return areas.map(({ label, lat, lon, country }) => ({ label, lat, lon, country }));
  }
}
