/** A dependency readiness depends on; `check` throws (or rejects) when it is not usable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Injection token for the list of readiness checks an app registers. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
/** Injection token for the app's {@link HubMetrics}. */
export const HUB_METRICS = Symbol('HUB_METRICS');
/** Injection token for the app's root pino logger. */
export const HUB_LOGGER = Symbol('HUB_LOGGER');
