import { AuditStages, auditEventId, decodeAuditBatch } from '@hub/audit';
import { ConsumedMessage, HubMetrics, TopicNames } from '@hub/platform';
import { DeliveryHeaders, RoutingTable } from '@hub/routing';
import { RouteBatchUseCase } from './route-batch.use-case';

const table = new RoutingTable({
  agreements: [
    {
      id: 'dsa-crm',
      title: 't',
      parties: ['coventry', 'ssc'],
      recordTypes: ['crm.case'],
      purpose: 'p',
      validFrom: '2026-01-01',
    },
  ],
  destinations: [
    { id: 'contact-centre', kind: 'kafka', service: 'contact-centre' },
    { id: 'contact-centre-webhook', kind: 'http', url: 'http://127.0.0.1:1/ssc/contact-centre' },
  ],
  routes: [
    { id: 'cases-kafka', match: { entity: 'crm.case' }, destination: 'contact-centre', agreement: 'dsa-crm' },
    {
      id: 'cases-http',
      match: { entity: 'crm.case' },
      destination: 'contact-centre-webhook',
      agreement: 'dsa-crm',
    },
  ],
});

const record = {
  schema: 'hub.crm.case.v1',
  id: 'case-1',
  revision: 'rev-1',
  operation: 'upsert',
  council: { slug: 'coventry', gss: 'E08000026' },
  source: { eventId: 'ce-1', eventTime: '2026-11-23T11:59:59.000Z' },
  data: { caseRef: 'C1' },
};

function canonical(value: Buffer): ConsumedMessage {
  return {
    topic: 'canonical.crm.case',
    partition: 1,
    offset: '7',
    key: Buffer.from('case-1'),
    value,
    headers: {},
    rawHeaders: {},
    timestamp: '0',
  };
}

describe('RouteBatchUseCase', () => {
  const topics = new TopicNames();
  const useCase = new RouteBatchUseCase(
    table,
    topics,
    new HubMetrics('test'),
    () => new Date('2026-11-23T12:00:00Z'),
  );
  const value = Buffer.from(JSON.stringify(record));
  const out = useCase.execute({ topic: 'canonical.crm.case', partition: 1, messages: [canonical(value)] });

  it('hands an HTTP destination its record on hub.delivery.<destination>: bytes untouched, keyed by canonical id, delivery headers', () => {
    const handOff = out.find((o) => o.topic === topics.delivery('contact-centre-webhook'));
    expect(handOff).toBeDefined();
    expect(handOff!.value).toBe(value);
    expect(handOff!.key).toBe('case-1');
    expect(handOff!.headers).toEqual({
      [DeliveryHeaders.deliveryId]: auditEventId(AuditStages.DELIVERED, 'rev-1', 'contact-centre-webhook'),
      [DeliveryHeaders.routeId]: 'cases-http',
      [DeliveryHeaders.agreementId]: 'dsa-crm',
      [DeliveryHeaders.destination]: 'contact-centre-webhook',
      [DeliveryHeaders.schema]: 'hub.crm.case.v1',
    });
  });

  it('still delivers to the Kafka destination in the same batch, with the same header names', () => {
    const delivered = out.find((o) => o.topic === topics.ssc('contact-centre'));
    expect(delivered?.value).toBe(value);
    expect(delivered?.headers?.[DeliveryHeaders.destination]).toBe('contact-centre');
  });

  it('audits the HTTP route as routed only (the delivery worker audits the delivery), the Kafka one as routed + delivered', () => {
    const audit = out.find((o) => o.topic === topics.audit)!;
    const events = decodeAuditBatch(Buffer.from(String(audit.value)));
    const byDestination = (id: string) =>
      events.filter((e) => e.detail.destination === id).map((e) => e.stage);
    expect(byDestination('contact-centre-webhook')).toEqual([AuditStages.ROUTED]);
    expect(byDestination('contact-centre')).toEqual([AuditStages.ROUTED, AuditStages.DELIVERED]);
  });
});
