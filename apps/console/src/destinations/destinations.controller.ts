import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard';
import { DestinationHealthService, DestinationHealthSnapshot } from './destination-health.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/destinations')
export class DestinationsController {
  constructor(@Inject(DestinationHealthService) private readonly health: DestinationHealthService) {}

  @Get()
  @Roles('ops')
  @ApiOperation({
    summary:
      'Status of each SSC destination: delivered and failed counts, last success, latency p50/p95, circuit state',
  })
  destinations(): Promise<DestinationHealthSnapshot> {
    return this.health.snapshot();
  }
}
