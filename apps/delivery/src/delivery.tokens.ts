/** Injection token for the app's {@link DestinationWorker} list. */
export const DELIVERY_WORKERS = Symbol('DELIVERY_WORKERS');
