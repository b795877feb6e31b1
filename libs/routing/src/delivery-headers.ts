/**
 * Headers the router puts on every routed record, whichever kind of destination it goes to: on
 * `ssc.<service>` (Kafka destinations) and on `hub.delivery.<destination>` (HTTP destinations, read by
 * the delivery worker). Part of the SSC-facing contract: rename none.
 */
export const DeliveryHeaders = {
  /** Canonical revision + destination: unique per delivery; the HTTP `Idempotency-Key`. */
  deliveryId: 'hub_delivery_id',
  routeId: 'hub_route_id',
  agreementId: 'hub_agreement_id',
  destination: 'hub_destination',
  schema: 'hub_schema',
} as const;

/** Headers the delivery worker adds (besides the platform's `hub_error_*`) to a destination's DLQ record. */
export const DeliveryDlqHeaders = {
  /** How many HTTP attempts were made before the record was dead-lettered. */
  attempts: 'hub_delivery_attempts',
  /** The last HTTP status the destination answered, when it answered at all. */
  status: 'hub_delivery_status',
} as const;
