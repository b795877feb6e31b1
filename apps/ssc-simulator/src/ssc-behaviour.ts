/** How the simulated SSC answers: normally, with an error, slowly, or by refusing the record. */
export const SSC_MODES = ['ok', 'fail', 'slow', 'reject'] as const;
export type SscMode = (typeof SSC_MODES)[number];

/** The body of `POST /ssc/control`. */
export interface SscControl {
  mode: SscMode;
  /** `fail`: the status to answer (default 503); `reject`: the 4xx to answer (default 400). */
  status?: number;
  /** `slow`: how long to wait before answering 200, ms (default 1000). */
  delayMs?: number;
  /** `fail`: send `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
  /** Go back to `ok` after this long, ms; absent: until told otherwise. */
  forMs?: number;
  /** Go back to `ok` after answering this many requests this way (deterministic for tests, whatever the timing). */
  forRequests?: number;
  /** Only this service (the `:service` of `POST /ssc/:service`); absent: every service. */
  service?: string;
}

/** What to do with one request. */
export type SscAnswer =
  | { kind: 'accept'; delayMs: number }
  | { kind: 'fail'; status: number; retryAfterSeconds?: number }
  | { kind: 'reject'; status: number };

/** A validated control request, or why it is not one. */
export type ControlResult = { ok: true; value: SscControl } | { ok: false; message: string };

type NumericField = 'status' | 'delayMs' | 'retryAfterSeconds' | 'forMs' | 'forRequests';

const SERVICE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Validates a control request at the edge; the message names the field. */
export function parseControl(body: unknown): ControlResult {
  if (typeof body !== 'object' || body === null)
    return { ok: false, message: 'The body must be a JSON object with a "mode".' };
  const b = body as Record<string, unknown>;
  if (!SSC_MODES.includes(b.mode as SscMode))
    return { ok: false, message: `mode must be one of ${SSC_MODES.join(', ')}.` };
  const mode = b.mode as SscMode;
  const limits: Array<[NumericField, number, number]> = [
    ['status', 400, mode === 'reject' ? 499 : 599],
    ['delayMs', 0, 120_000],
    ['retryAfterSeconds', 0, 86_400],
    ['forMs', 1, 86_400_000],
    ['forRequests', 1, 1_000_000],
  ];
  const numbers: Partial<Record<NumericField, number>> = {};
  for (const [field, min, max] of limits) {
    const value = b[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return { ok: false, message: `${field} must be a whole number from ${min} to ${max}.` };
    }
    numbers[field] = value;
  }
  const control: SscControl = { mode, ...numbers };
  if (b.service !== undefined) {
    if (typeof b.service !== 'string' || !SERVICE.test(b.service))
      return { ok: false, message: 'service must be a lower-case service name.' };
    control.service = b.service;
  }
  return { ok: true, value: control };
}

interface ActiveControl {
  control: SscControl;
  until: number | null;
  remaining: number | null;
}

/**
 * The simulator's current behaviour: one setting for every service, optionally one per service (which
 * wins). A setting with `forMs` or `forRequests` lapses back to `ok` on its own, so a test can say
 * "down for 3 s" or "fail the next 4 requests".
 */
export class SscBehaviour {
  private global?: ActiveControl;
  private readonly perService = new Map<string, ActiveControl>();

  constructor(private readonly clock: () => number = Date.now) {}

  set(control: SscControl): void {
    const active: ActiveControl = {
      control,
      until: control.forMs === undefined ? null : this.clock() + control.forMs,
      remaining: control.forRequests ?? null,
    };
    if (control.service === undefined) {
      this.global = active;
      this.perService.clear();
    } else {
      this.perService.set(control.service, active);
    }
  }

  reset(): void {
    this.global = undefined;
    this.perService.clear();
  }

  /** How to answer a request for `service` now. */
  answer(service: string): SscAnswer {
    const now = this.clock();
    const active = [this.perService.get(service), this.global].find(
      (a) =>
        a !== undefined && (a.until === null || a.until > now) && (a.remaining === null || a.remaining > 0),
    );
    if (active?.remaining) active.remaining -= 1;
    const c = active?.control;
    switch (c?.mode) {
      case 'fail':
        return { kind: 'fail', status: c.status ?? 503, retryAfterSeconds: c.retryAfterSeconds };
      case 'reject':
        return { kind: 'reject', status: c.status ?? 400 };
      case 'slow':
        return { kind: 'accept', delayMs: c.delayMs ?? 1_000 };
      default:
        return { kind: 'accept', delayMs: 0 };
    }
  }
}
