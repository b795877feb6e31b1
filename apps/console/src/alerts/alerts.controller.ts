import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { AlertsService, AlertsSnapshot } from './alerts.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(@Inject(AlertsService) private readonly alerts: AlertsService) {}

  @Get()
  @Roles('ops', 'council')
  @ApiOperation({
    summary:
      'Active alerts: stale feed, DLQ growth, consumer lag over threshold, destination down (a council sees its own feeds)',
  })
  active(@CurrentPrincipal() principal: Principal): Promise<AlertsSnapshot> {
    return this.alerts.forPrincipal(principal);
  }
}
