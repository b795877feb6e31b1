import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { DashboardSeries, DashboardSeriesService } from './dashboard-series.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/dashboard')
export class DashboardSeriesController {
  constructor(@Inject(DashboardSeriesService) private readonly series: DashboardSeriesService) {}

  @Get('series')
  @Roles('ops', 'council')
  @ApiOperation({
    summary:
      'The last hour per minute: records received and rejected, deliveries, delivery latency p95, ingest lag (a council sees its own)',
  })
  get(@CurrentPrincipal() principal: Principal): Promise<DashboardSeries> {
    return this.series.forPrincipal(principal);
  }
}
