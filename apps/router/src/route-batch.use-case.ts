import { AuditEvent, AuditStages, auditEventId, encodeAuditBatch } from '@hub/audit';
import { ErrorCodes, HubMetrics, InboundBatch, OutboundMessage, TopicNames } from '@hub/platform';
import { DeliveryHeaders, RoutableRecord, RoutingTable } from '@hub/routing';

/** The part of a canonical record the router reads (it forwards the bytes untouched). */
interface CanonicalHead extends RoutableRecord {
  id: string;
  revision: string;
  council: { slug: string; gss: string };
  source: { eventId: string; eventTime?: string };
}

const ACTOR = 'router';

/**
 * Routes one batch of canonical records: every matching route either delivers (Kafka destinations:
 * produced in the same transaction as the consumed offsets, so committed = delivered once), hands the
 * record to an HTTP destination's delivery worker (`hub.delivery.<destination>`, same transaction; the
 * worker audits the delivery itself), or is refused for want of a data-sharing agreement; a record
 * matching no route is recorded as unrouted. Every decision is audited.
 */
export class RouteBatchUseCase {
  constructor(
    private readonly table: RoutingTable,
    private readonly topics: TopicNames,
    private readonly metrics: HubMetrics,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  execute(batch: InboundBatch): OutboundMessage[] {
    const parsed = this.topics.parseCanonical(batch.topic);
    if (!parsed) throw new Error(`router consumed ${batch.topic}, which is not a canonical topic`);
    const { domain, entity } = parsed;
    const entityName = `${domain}.${entity}`;
    const now = this.clock();
    const nowIso = now.toISOString();
    const today = nowIso.slice(0, 10);
    const out: OutboundMessage[] = [];
    const audit: AuditEvent[] = [];

    for (const message of batch.messages) {
      if (!message.value) continue;
      const record = JSON.parse(message.value.toString('utf8')) as CanonicalHead;
      const ids = {
        council: record.council.slug,
        domain,
        entity: entityName,
        sourceEventId: record.source.eventId,
        canonicalId: record.id,
        revision: record.revision,
      };
      const decisions = this.table.decide(record, entityName, domain, today);
      if (decisions.length === 0) {
        this.metrics.recordsRouted.inc({ domain, outcome: 'unrouted' });
        audit.push({
          ...ids,
          eventId: auditEventId(AuditStages.UNROUTED, record.revision),
          stage: AuditStages.UNROUTED,
          occurredAt: nowIso,
          actor: ACTOR,
          code: ErrorCodes.ROUTING_UNROUTED,
          detail: { reason: `No route matches ${entityName} records from ${record.council.slug}.` },
        });
        continue;
      }
      for (const decision of decisions) {
        const destination = decision.destination;
        if (decision.outcome === 'refused') {
          this.metrics.recordsRouted.inc({ domain, outcome: 'refused' });
          audit.push({
            ...ids,
            eventId: auditEventId(AuditStages.REFUSED, record.revision, decision.route.id),
            stage: AuditStages.REFUSED,
            occurredAt: nowIso,
            actor: ACTOR,
            code: ErrorCodes.ROUTING_NO_AGREEMENT,
            detail: {
              route: decision.route.id,
              destination: destination.id,
              agreement: decision.route.agreement,
              reason: decision.reason,
            },
          });
          continue;
        }
        const deliveryId = auditEventId(AuditStages.DELIVERED, record.revision, destination.id);
        this.metrics.recordsRouted.inc({ domain, outcome: 'routed' });
        audit.push({
          ...ids,
          deliveryId,
          eventId: auditEventId(AuditStages.ROUTED, record.revision, decision.route.id),
          stage: AuditStages.ROUTED,
          occurredAt: nowIso,
          actor: ACTOR,
          detail: { route: decision.route.id, destination: destination.id, agreement: decision.agreement.id },
        });
        const headers = {
          [DeliveryHeaders.deliveryId]: deliveryId,
          [DeliveryHeaders.routeId]: decision.route.id,
          [DeliveryHeaders.agreementId]: decision.agreement.id,
          [DeliveryHeaders.destination]: destination.id,
          [DeliveryHeaders.schema]: String(record.schema),
        };
        if (destination.kind === 'http') {
          // The HTTP call happens in the delivery worker, outside this transaction: a slow webhook must
          // not hold up routing, and the worker's own consumer group keeps each destination apart.
          out.push({
            topic: this.topics.delivery(destination.id),
            key: record.id,
            value: message.value,
            headers,
          });
          continue;
        }
        const topic = this.topics.ssc(destination.service);
        out.push({ topic, key: record.id, value: message.value, headers });
        const latencyMs = record.source.eventTime
          ? now.getTime() - Date.parse(record.source.eventTime)
          : null;
        if (latencyMs !== null && latencyMs >= 0)
          this.metrics.deliveryLatency.observe({ destination: destination.id }, latencyMs / 1000);
        this.metrics.deliveries.inc({ destination: destination.id, outcome: 'delivered' });
        audit.push({
          ...ids,
          deliveryId,
          eventId: auditEventId(AuditStages.DELIVERED, record.revision, destination.id),
          stage: AuditStages.DELIVERED,
          occurredAt: nowIso,
          actor: ACTOR,
          detail: {
            destination: destination.id,
            kind: 'kafka',
            topic,
            attempt: 1,
            status: 'committed',
            latencyMs,
          },
        });
      }
    }
    if (audit.length > 0) {
      out.push({
        topic: this.topics.audit,
        key: `${batch.topic}:${batch.partition}`,
        value: encodeAuditBatch(audit),
      });
    }
    return out;
  }
}
