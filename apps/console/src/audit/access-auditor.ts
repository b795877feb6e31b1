import type { Producer } from 'kafkajs';
import { AuditStages, auditEventId, encodeAuditBatch } from '@hub/audit';
import { TopicNames } from '@hub/platform';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/principal';

/**
 * Records every read of lineage or audit data by a person (who, what, when) as an `accessed` audit
 * event. It goes through hub.audit.v1 like every other event, so it joins the hash chain.
 */
export class AccessAuditor {
  constructor(
    private readonly producer: Producer,
    private readonly topics: TopicNames,
  ) {}

  async record(
    principal: Principal,
    what: string,
    query: Record<string, string | number | boolean | null>,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const event = {
      eventId: auditEventId(AuditStages.ACCESSED, randomUUID()),
      stage: AuditStages.ACCESSED,
      occurredAt,
      actor: `person:${principal.name}`,
      council: principal.council,
      detail: { what, roles: principal.roles.join(','), ...query },
    };
    await this.producer.send({
      topic: this.topics.audit,
      messages: [{ key: `access:${principal.name}`, value: encodeAuditBatch([event]) }],
    });
  }
}
