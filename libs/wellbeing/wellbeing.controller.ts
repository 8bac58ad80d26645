import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal, volunteerAccountId } from '../identity/index.js';
import { ConsentDto, ConsentResponseDto, MyCheckInDto } from './wellbeing.dto.js';
import { WellbeingService } from './wellbeing.service.js';

/** The volunteer's own check-ins. No route here or anywhere gives them to organisations or operators. */
@ApiTags('wellbeing')
@Controller('api/me/check-ins')
@Allow('volunteer')
export class WellbeingController {
  constructor(private readonly wellbeing: WellbeingService) {}

  @Get()
  @ApiOperation({ summary: 'Your check-ins and answers' })
  @ApiOkResponse({
    type: [MyCheckInDto],
    description: 'Your check-ins and answers, notes decrypted — visible to you only',
  })
  mine(@CurrentPrincipal() principal: Principal) {
    return this.wellbeing.mine(volunteerAccountId(principal));
  }

  @Get('consent')
  @ApiOperation({ summary: 'Your check-in and suggestion consent' })
  @ApiOkResponse({ type: ConsentResponseDto })
  consent(@CurrentPrincipal() principal: Principal) {
    return this.wellbeing.consent(volunteerAccountId(principal));
  }

  @Put('consent')
  @ApiOperation({ summary: 'Opt in or out of check-ins and suggestions' })
  @ApiOkResponse({ type: ConsentResponseDto, description: 'Opting out cancels pending check-ins at once' })
  setConsent(@CurrentPrincipal() principal: Principal, @Body() body: ConsentDto) {
    return this.wellbeing.setConsent(volunteerAccountId(principal), body);
  }
}
