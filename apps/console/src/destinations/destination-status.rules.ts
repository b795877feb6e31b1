/**
 * Destination status rules: pure functions of the delivery counts of the last 5 minutes and hour.
 * down: deliveries failed in the last 5 minutes and none succeeded; degraded: some failed, some
 * succeeded; idle: nothing at all in the last hour; up otherwise.
 */

/** What a destination row shows. */
export type DestinationStatus = 'up' | 'degraded' | 'down' | 'idle';

/** Counts the rules look at. */
export interface DestinationObservation {
  delivered5m: number;
  failed5m: number;
  delivered1h: number;
  failed1h: number;
}

/** The verdict on one destination. */
export interface DestinationVerdict {
  status: DestinationStatus;
  reasons: string[];
}

/** Applies the rules to one destination. */
export function destinationStatus(o: DestinationObservation): DestinationVerdict {
  if (o.failed5m > 0 && o.delivered5m === 0) {
    return {
      status: 'down',
      reasons: [`${o.failed5m} deliveries failed in the last 5 minutes and none succeeded.`],
    };
  }
  if (o.failed5m > 0) {
    return {
      status: 'degraded',
      reasons: [`${o.failed5m} of ${o.failed5m + o.delivered5m} deliveries failed in the last 5 minutes.`],
    };
  }
  if (o.delivered1h === 0 && o.failed1h === 0)
    return { status: 'idle', reasons: ['Nothing was delivered in the last hour.'] };
  return { status: 'up', reasons: [] };
}
