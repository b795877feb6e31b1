import { ErrorCodes, HubError } from '@hub/platform';

/**
 * Thrown (deliberately: the one exception in the delivery path) when a destination as a whole cannot
 * take records now: its circuit is open, it asked for a long Retry-After, or the worker is stopping. The
 * batch runner aborts the batch and retries it from the committed offset after a back-off, so the
 * consumer stops advancing (back-pressure) and no record is dead-lettered for the destination's outage.
 */
export class DestinationUnavailableError extends HubError {
  constructor(destination: string, reason: string) {
    super(
      ErrorCodes.DELIVERY_FAILED,
      `Destination ${destination} is unavailable (${reason}); its records are held and retried from the last committed offset.`,
      { destination },
    );
    this.name = 'DestinationUnavailableError';
  }
}
