import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '../identity/index.js';
import { ConsentDto, ConsentResponseDto, MyCheckInDto } from './wellbeing.dto.js';
import { WellbeingService } from './wellbeing.service.js';

const volunteerOf = (principal: Principal) => (principal as Extract<Principal, { kind: 'volunteer' }>).accountId;

/** The volunteer's own check-ins. No route here or anywhere gives them to organisations or operators. */
@ApiTags('wellbeing')
@ApiBearerAuth()
@Controller('api/me/check-ins')
@Allow('volunteer')
export class WellbeingController {
  constructor(private readonly wellbeing: WellbeingService) {}

  @Get()
  @ApiOkResponse({ type: [MyCheckInDto], description: 'Your check-ins and answers, notes decrypted — visible to you only' })
  mine(@CurrentPrincipal() principal: Principal) {
    return this.wellbeing.mine(volunteerOf(principal));
  }

  @Get('consent')
  @ApiOkResponse({ type: ConsentResponseDto })
  consent(@CurrentPrincipal() principal: Principal) {
    return this.wellbeing.consent(volunteerOf(principal));
  }

  @Put('consent')
  @ApiOkResponse({ type: ConsentResponseDto, description: 'Opting out cancels pending check-ins at once' })
  setConsent(@CurrentPrincipal() principal: Principal, @Body() body: ConsentDto) {
    return this.wellbeing.setConsent(volunteerOf(principal), body);
  }
}
