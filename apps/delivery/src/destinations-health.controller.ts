import { Controller, Get, Inject } from '@nestjs/common';
import { DELIVERY_WORKERS } from './delivery.tokens';
import { DestinationStatus, DestinationWorker } from './destination.worker';

/** The answer of `GET /health/destinations`. */
export interface DestinationsHealth {
  status: 'up' | 'degraded';
  destinations: DestinationStatus[];
}

/**
 * Per-destination circuit state. Always 200: a destination that is down makes this app degraded, not
 * unready (restarting the worker would not bring the SSC back); `/health/ready` stays about Kafka.
 */
@Controller('health')
export class DestinationsHealthController {
  constructor(@Inject(DELIVERY_WORKERS) private readonly workers: DestinationWorker[]) {}

  @Get('destinations')
  destinations(): DestinationsHealth {
    const destinations = this.workers.map((w) => w.status());
    return { status: destinations.every((d) => d.status === 'up') ? 'up' : 'degraded', destinations };
  }
}
