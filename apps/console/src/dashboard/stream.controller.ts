import { Controller, Inject, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Observable,
  Subject,
  catchError,
  concatMap,
  from,
  interval,
  map,
  merge,
  of,
  startWith,
  takeUntil,
} from 'rxjs';
import { AlertsService } from '../alerts/alerts.service';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { DestinationHealthService } from '../destinations/destination-health.service';
import { feedsVisibleTo } from '../feeds/feeds.controller';
import { FeedHealthService } from '../feeds/feed-health.service';
import { DashboardSeriesService } from './dashboard-series.service';

/** How often the stream pushes a snapshot (feeds, alerts, destinations) and the chart series. */
export const STREAM_SNAPSHOT_EVERY_MS = 3_000;
export const STREAM_SERIES_EVERY_MS = 5_000;

/**
 * Fires when the console shuts down: open streams end, so closing the HTTP server does not wait for
 * dashboards that would otherwise stay connected until the shutdown watchdog.
 */
export class StreamShutdown extends Subject<void> {}

/** Names of the events on the stream (the dashboard listens for these). */
export const StreamEvents = {
  SNAPSHOT: 'snapshot',
  SERIES: 'series',
  PROBLEM: 'problem',
} as const;

/**
 * Live updates for the dashboard as Server-Sent Events. The dashboard reads it with fetch() and the
 * Authorization header (not EventSource, which cannot send headers), so no token ever travels in a URL.
 * What each event carries depends on the caller's roles, exactly as the matching GET endpoints do.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api')
export class StreamController {
  constructor(
    @Inject(FeedHealthService) private readonly feeds: FeedHealthService,
    @Inject(DestinationHealthService) private readonly destinations: DestinationHealthService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(DashboardSeriesService) private readonly series: DashboardSeriesService,
    @Inject(StreamShutdown) private readonly shutdown: StreamShutdown,
  ) {}

  @Sse('stream')
  @Roles('ops', 'council', 'auditor')
  @ApiOperation({
    summary:
      'Server-sent events: `snapshot` (feeds, alerts, destinations as the roles allow) every 3 s, `series` every 5 s',
  })
  stream(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    const ops = principal.roles.some((r) => r === 'ops' || r === 'admin');
    const seesFeeds = ops || principal.roles.includes('council');
    // A failed tick (database restarting) is reported on the stream and the next tick tries again.
    const problem = (error: unknown) =>
      of<MessageEvent>({
        type: StreamEvents.PROBLEM,
        data: {
          at: new Date().toISOString(),
          message: error instanceof Error ? error.message : String(error),
        },
      });

    const snapshots = interval(STREAM_SNAPSHOT_EVERY_MS).pipe(
      startWith(-1),
      concatMap(() =>
        from(this.snapshot(principal, ops, seesFeeds)).pipe(
          map((data): MessageEvent => ({ type: StreamEvents.SNAPSHOT, data })),
          catchError(problem),
        ),
      ),
    );
    const series = seesFeeds
      ? interval(STREAM_SERIES_EVERY_MS).pipe(
          startWith(-1),
          concatMap(() =>
            from(this.series.forPrincipal(principal)).pipe(
              map((data): MessageEvent => ({ type: StreamEvents.SERIES, data })),
              catchError(problem),
            ),
          ),
        )
      : of<MessageEvent>();
    return merge(snapshots, series).pipe(takeUntil(this.shutdown));
  }

  private async snapshot(principal: Principal, ops: boolean, seesFeeds: boolean) {
    const [feeds, alerts, destinations] = await Promise.all([
      seesFeeds ? this.feeds.snapshot().then((s) => feedsVisibleTo(s, principal)) : undefined,
      seesFeeds ? this.alerts.forPrincipal(principal) : undefined,
      ops ? this.destinations.snapshot() : undefined,
    ]);
    return { at: new Date().toISOString(), feeds, alerts, destinations };
  }
}
