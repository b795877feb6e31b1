import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal, councilScope } from '../auth/principal';
import { FeedHealthService, FeedHealthSnapshot } from './feed-health.service';

/** The view of a snapshot one principal may see: a council token sees its own feeds only. */
export function feedsVisibleTo(snapshot: FeedHealthSnapshot, principal: Principal): FeedHealthSnapshot {
  const scope = councilScope(principal);
  return scope === undefined
    ? snapshot
    : { ...snapshot, feeds: snapshot.feeds.filter((f) => f.council === scope) };
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/feeds')
export class FeedsController {
  constructor(@Inject(FeedHealthService) private readonly health: FeedHealthService) {}

  @Get()
  @Roles('ops', 'council')
  @ApiOperation({
    summary:
      'Status of each council x domain feed: last record, counts, error rate, DLQ depth, consumer lag, status (ok, late, failing, silent, inactive)',
  })
  async feeds(@CurrentPrincipal() principal: Principal): Promise<FeedHealthSnapshot> {
    return feedsVisibleTo(await this.health.snapshot(), principal);
  }
}
