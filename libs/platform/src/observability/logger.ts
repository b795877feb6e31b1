import pino, { Logger } from 'pino';

/**
 * Field names that may carry personal data. Log lines never include record values in the first
 * place; this redaction list is the second line of defence should one slip into a log call.
 */
const REDACT = [
  '*.name',
  '*.firstName',
  '*.lastName',
  '*.surname',
  '*.forename',
  '*.email',
  '*.phone',
  '*.telephone',
  '*.dateOfBirth',
  '*.nationalInsuranceNumber',
  '*.nino',
  '*.address',
  '*.homeAddress',
  '*.payload',
  '*.value',
  '*.data',
  'req.headers.authorization',
];

/** The root logger of an app: JSON lines, PII paths redacted, base fields naming the app and instance. */
export function createLogger(
  app: string,
  options: { level: string; instanceId: string; pretty?: boolean },
): Logger {
  return pino({
    level: options.level,
    base: { app, instance: options.instanceId },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** Log message constants: what operators grep for. */
export const LogEvents = {
  APP_STARTED: 'app started',
  APP_STOPPING: 'app stopping',
  BATCH_COMMITTED: 'batch committed',
  RECORD_REJECTED: 'record rejected',
  AUDIT_WRITTEN: 'audit events written',
  DELIVERY_FAILED: 'delivery failed',
} as const;
