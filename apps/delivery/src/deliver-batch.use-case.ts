import type { IHeaders } from 'kafkajs';
import { AuditDetail, AuditEvent, AuditStages, auditEventId, encodeAuditBatch } from '@hub/audit';
import {
  ConsumedMessage,
  ErrorCode,
  ErrorCodes,
  HubHeaders,
  InboundBatch,
  OutboundMessage,
  TopicNames,
  deadLetter,
} from '@hub/platform';
import { DeliveryDlqHeaders, DeliveryHeaders, HttpDestination } from '@hub/routing';
import { DeliveryAttempt, DeliveryOutcome, DeliveryPort } from './delivery.port';
import { DestinationUnavailableError } from './destination-unavailable.error';

/** A final outcome of one record, for metrics and logs once the batch has committed. */
export interface DeliveryTally {
  outcome: 'delivered' | 'rejected' | 'failed';
  deliveryId: string;
  canonicalId?: string;
  attempts: number;
  status: number | null;
  /** Source event time to acknowledged delivery, milliseconds; null when unknown. */
  endToEndMs: number | null;
}

/** What one partition batch produced: records to commit with the offsets, and tallies for metrics. */
export interface DeliverBatchResult {
  outputs: OutboundMessage[];
  tallies: DeliveryTally[];
}

/** The part of a canonical record the worker reads; it sends the bytes untouched. */
interface CanonicalHead {
  id: string;
  revision: string;
  schema: string;
  council?: { slug?: string };
  source?: { eventId?: string; eventTime?: string };
}

const ACTOR = 'delivery';
const SCHEMA = /^hub\.([a-z]+)\.([a-z0-9-]+)\.v\d+$/;

/**
 * Delivers one partition batch of routed records to one HTTP destination, strictly in offset order
 * (records of one canonical id share a partition, so they reach the SSC in the order they were routed).
 * Returns the DLQ records and ONE audit message; the runner commits them with the offsets. A destination
 * that is unavailable aborts the batch (see {@link DestinationUnavailableError}).
 */
export class DeliverBatchUseCase {
  constructor(
    private readonly destination: HttpDestination,
    private readonly port: DeliveryPort,
    private readonly topics: TopicNames,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(batch: InboundBatch): Promise<DeliverBatchResult> {
    const outputs: OutboundMessage[] = [];
    const audit: AuditEvent[] = [];
    const tallies: DeliveryTally[] = [];
    for (const message of batch.messages) {
      if (!message.value) continue;
      const head = readHead(message.value);
      const deliveryId =
        message.headers[DeliveryHeaders.deliveryId] ??
        (head
          ? auditEventId(AuditStages.DELIVERED, head.revision, this.destination.id)
          : `${message.topic}:${message.partition}:${message.offset}`);
      const base = this.baseEvent(head, deliveryId);
      const replayId = message.headers[HubHeaders.replayId];
      if (!head) {
        // The router only forwards canonical JSON; anything else did not come from it. Never send it.
        const reason = `The record at ${message.topic}/${message.partition}/${message.offset} is not a canonical JSON record; the hub did not send it to ${this.destination.id}.`;
        outputs.push(this.deadLetter(message, ErrorCodes.DELIVERY_REJECTED, reason, []));
        audit.push(
          this.failedEvent(base, deliveryId, replayId, ErrorCodes.DELIVERY_REJECTED, undefined, reason),
        );
        tallies.push({ outcome: 'rejected', deliveryId, attempts: 0, status: null, endToEndMs: null });
        continue;
      }
      const outcome = await this.port.deliver({
        idempotencyKey: deliveryId,
        body: message.value,
        headers: sscHeaders(message),
      });
      if (outcome.kind === 'unavailable')
        throw new DestinationUnavailableError(this.destination.id, outcome.reason);
      audit.push(...this.auditOutcome(base, deliveryId, replayId, outcome, head));
      const last = outcome.attempts[outcome.attempts.length - 1];
      if (outcome.kind !== 'delivered')
        outputs.push(this.deadLetter(message, codeOf(outcome), this.reasonFor(outcome), outcome.attempts));
      tallies.push({
        outcome: outcome.kind,
        deliveryId,
        canonicalId: head.id,
        attempts: outcome.attempts.length,
        status: last?.status ?? null,
        endToEndMs: outcome.kind === 'delivered' ? endToEnd(head, last) : null,
      });
    }
    if (audit.length > 0) {
      outputs.push({
        topic: this.topics.audit,
        key: `${batch.topic}:${batch.partition}`,
        value: encodeAuditBatch(audit),
      });
    }
    return { outputs, tallies };
  }

  /** One event per attempt: `delivery_attempted` for each failed one, then `delivered` or `delivery_failed` for the last. */
  private auditOutcome(
    base: Omit<AuditEvent, 'eventId' | 'stage' | 'occurredAt' | 'detail'>,
    deliveryId: string,
    replayId: string | undefined,
    outcome: Exclude<DeliveryOutcome, { kind: 'unavailable' }>,
    head: CanonicalHead,
  ): AuditEvent[] {
    const events: AuditEvent[] = outcome.attempts.slice(0, -1).map((a) => ({
      ...base,
      eventId: auditEventId(AuditStages.DELIVERY_ATTEMPTED, deliveryId, replayId, a.attempt),
      stage: AuditStages.DELIVERY_ATTEMPTED,
      occurredAt: a.at.toISOString(),
      detail: this.attemptDetail(a),
    }));
    const last = outcome.attempts[outcome.attempts.length - 1];
    if (outcome.kind === 'delivered') {
      events.push({
        ...base,
        // The same id as the delivery id (as for Kafka destinations): a re-send after a crash audits once.
        eventId: auditEventId(AuditStages.DELIVERED, head.revision, this.destination.id),
        stage: AuditStages.DELIVERED,
        occurredAt: last.at.toISOString(),
        detail: { ...this.attemptDetail(last), endToEndMs: endToEnd(head, last) },
      });
    } else {
      events.push(
        this.failedEvent(base, deliveryId, replayId, codeOf(outcome), last, this.reasonFor(outcome)),
      );
    }
    return events;
  }

  private failedEvent(
    base: Omit<AuditEvent, 'eventId' | 'stage' | 'occurredAt' | 'detail'>,
    deliveryId: string,
    replayId: string | undefined,
    code: ErrorCode,
    last: DeliveryAttempt | undefined,
    reason: string,
  ): AuditEvent {
    return {
      ...base,
      eventId: auditEventId(AuditStages.DELIVERY_FAILED, deliveryId, replayId),
      stage: AuditStages.DELIVERY_FAILED,
      occurredAt: (last?.at ?? this.clock()).toISOString(),
      code,
      detail: last
        ? { ...this.attemptDetail(last), reason }
        : {
            destination: this.destination.id,
            kind: 'http',
            attempt: 0,
            status: null,
            latencyMs: null,
            reason,
          },
    };
  }

  private attemptDetail(a: DeliveryAttempt): AuditDetail {
    const detail: AuditDetail = {
      destination: this.destination.id,
      kind: 'http',
      attempt: a.attempt,
      status: a.status,
      latencyMs: a.latencyMs,
    };
    if (a.error !== undefined) detail.error = a.error;
    if (a.retryAfterMs !== undefined) detail.retryAfterMs = a.retryAfterMs;
    return detail;
  }

  private baseEvent(
    head: CanonicalHead | undefined,
    deliveryId: string,
  ): Omit<AuditEvent, 'eventId' | 'stage' | 'occurredAt' | 'detail'> {
    const schema = head ? SCHEMA.exec(head.schema) : null;
    return {
      actor: ACTOR,
      deliveryId,
      council: head?.council?.slug,
      domain: schema?.[1],
      entity: schema ? `${schema[1]}.${schema[2]}` : undefined,
      sourceEventId: head?.source?.eventId,
      canonicalId: head?.id,
      revision: head?.revision,
    };
  }

  private reasonFor(outcome: Exclude<DeliveryOutcome, { kind: 'unavailable' | 'delivered' }>): string {
    const n = outcome.attempts.length;
    const last = outcome.attempts[n - 1];
    const answer =
      last?.status !== null && last?.status !== undefined
        ? `HTTP ${last.status}`
        : `no answer (${last?.error ?? 'unknown'})`;
    if (outcome.kind === 'rejected') {
      return `Destination ${this.destination.id} refused the record with ${answer}; the hub does not retry a refusal. Correct the record or the destination's set-up, then replay it from this DLQ.`;
    }
    return `Destination ${this.destination.id} did not accept the record in ${n} attempts (last: ${answer}). Replay it from this DLQ once the destination is fixed.`;
  }

  private deadLetter(
    message: ConsumedMessage,
    code: ErrorCode,
    reason: string,
    attempts: DeliveryAttempt[],
  ): OutboundMessage {
    const dead = deadLetter(
      this.topics.destinationDlq(this.destination.id),
      message,
      { code, reason, stage: 'delivery' },
      this.clock(),
    );
    const last = attempts[attempts.length - 1];
    const headers: IHeaders = { ...dead.headers, [DeliveryDlqHeaders.attempts]: String(attempts.length) };
    if (last?.status !== null && last?.status !== undefined)
      headers[DeliveryDlqHeaders.status] = String(last.status);
    return { ...dead, headers };
  }
}

function codeOf(outcome: { kind: 'rejected' | 'failed' }): ErrorCode {
  return outcome.kind === 'rejected' ? ErrorCodes.DELIVERY_REJECTED : ErrorCodes.DELIVERY_FAILED;
}

function readHead(value: Buffer): CanonicalHead | undefined {
  try {
    const parsed = JSON.parse(value.toString('utf8')) as Partial<CanonicalHead> | null;
    if (
      !parsed ||
      typeof parsed.id !== 'string' ||
      typeof parsed.revision !== 'string' ||
      typeof parsed.schema !== 'string'
    )
      return undefined;
    return parsed as CanonicalHead;
  } catch {
    return undefined;
  }
}

/** Route, agreement and schema travel to the SSC as headers: it can check the agreement without parsing. */
function sscHeaders(message: ConsumedMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const pass = {
    'X-Hub-Route-Id': DeliveryHeaders.routeId,
    'X-Hub-Agreement-Id': DeliveryHeaders.agreementId,
    'X-Hub-Schema': DeliveryHeaders.schema,
  };
  for (const [http, kafka] of Object.entries(pass)) {
    const value = message.headers[kafka];
    if (value !== undefined) headers[http] = value;
  }
  return headers;
}

function endToEnd(head: CanonicalHead, last: DeliveryAttempt | undefined): number | null {
  const eventTime = head.source?.eventTime ? Date.parse(head.source.eventTime) : NaN;
  if (!last || Number.isNaN(eventTime)) return null;
  const ms = last.at.getTime() + last.latencyMs - eventTime;
  return ms >= 0 ? ms : null;
}
