import { FLAT_MEMORY_GROWTH_PERCENT, memoryVerdict } from '../measure/memory-trend.calculator';
import { lagPoints } from '../measure/lag-trend.calculator';
import type { SoakResult, TableRow } from './bench-results.model';

const n = (v: number | undefined, digits = 0): string =>
  v === undefined || Number.isNaN(v)
    ? '-'
    : v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** Processes the soak runs but the hub does not own: the broker, and the simulator (it keeps every receipt). */
const NOT_HUB = new Set(['kafka', 'ssc-simulator']);

/** Every record for the slow destination is committed as delivered (and audited) or still in Kafka. */
export function soakAccountsAddUp(s: SoakResult): boolean {
  return (
    s.routedToSlow === s.offeredToSlow &&
    s.committed + s.waiting === s.offeredToSlow &&
    s.auditedDelivered === s.committed &&
    s.deliveredToSsc >= s.committed &&
    s.deadLettered === 0
  );
}

/** The soak's rows of THE table: memory flat, peak RSS, backlog growing in Kafka, every record accounted for. */
export function soakRows(s: SoakResult): TableRow[] {
  const title = `Soak: ${s.durationSeconds} s at ${n(s.offeredRate)} records/s, HTTP destination answering after ${n(s.delayMs)} ms`;
  const hubApps = Object.entries(s.memory).filter(([name]) => !NOT_HUB.has(name));
  const points = lagPoints(s.lag);
  const memory = memoryVerdict(hubApps);
  return [
    {
      scenario: title,
      metric: 'RSS growth, first to last third of the run (after bounded caches are full), per hub app',
      value: memory.value,
      target: `flat (≤ ${FLAT_MEMORY_GROWTH_PERCENT}%)`,
      status: memory.status,
    },
    {
      scenario: 'Soak: peak RSS',
      metric: 'MB per process over the soak (VmHWM)',
      value: Object.entries(s.peakRssMb)
        .map(([name, mb]) => `${name} ${n(mb)}`)
        .join(', '),
      target: '',
      status: '',
    },
    {
      scenario: 'Soak: delivery consumer lag',
      metric: `records waiting in Kafka behind the delivery group's committed offset, at ${points.map((p) => `${p.t} s`).join(' / ')}`,
      value: points.map((p) => n(p.waiting)).join(' → '),
      target: 'grows (the backlog stays in Kafka)',
      status: s.lagGrew ? 'met' : 'not met',
    },
    {
      scenario: 'Soak: records for the slow destination',
      metric: 'offered = committed as delivered (and audited) + waiting in Kafka; at the SSC; dead-lettered',
      value: `${n(s.offeredToSlow)} = ${n(s.committed)} + ${n(s.waiting)}; ${n(s.deliveredToSsc)} at the SSC; ${n(s.deadLettered)} dead-lettered`,
      target: 'nothing dropped',
      status: soakAccountsAddUp(s) ? 'met' : 'not met',
    },
    {
      scenario: 'Soak: Kafka destinations meanwhile',
      metric: 'SSC topic deliveries of the same records; last one after the last send',
      value: `${n(s.kafkaDelivered)} / ${n(s.kafkaExpected)}; +${n(s.kafkaDrainSeconds, 1)} s`,
      target: 'not held up by the slow one',
      status: s.kafkaDelivered === s.kafkaExpected ? 'met' : 'not met',
    },
  ];
}
