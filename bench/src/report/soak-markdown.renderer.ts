import { lagPoints } from '../measure/lag-trend.calculator';
import type { SoakResult } from './bench-results.model';
import { memoryTable, stageTable } from './markdown-tables';

const n = (v: number | undefined, digits = 0): string =>
  v === undefined || Number.isNaN(v) ? '-' : v.toLocaleString('en-GB', { maximumFractionDigits: digits });

/** Lag readings shown in the results page: about every 30 s, plus the four the table uses. */
const SHOWN_EVERY_SECONDS = 30;

/** The soak's section of the results page: the evidence behind its rows. */
export function renderSoakMarkdown(s: SoakResult): string[] {
  const out = ['', '## Soak: back-pressure from a slow HTTP destination', ''];
  out.push(
    `Offered ${n(s.offeredRate)} records/s of the mix for ${s.durationSeconds} s (achieved ${n(s.achievedRate)}/s, ${n(s.records)} records) with ${s.destinations.join(', ')} (the SSC simulator) answering every request after ${n(s.delayMs)} ms for the whole run. ${n(s.offeredToSlow)} of the records route there; the rest go to Kafka destinations only.`,
    '',
    'After the run the delivery app was stopped (its open batch is abandoned uncommitted), the audit writer allowed to catch up, and the records for the slow destination counted:',
    '',
    `- offered (the routing table, in-process): ${n(s.offeredToSlow)}; on \`hub.delivery.*\` (read-committed): ${n(s.routedToSlow)}`,
    `- committed as delivered (before the delivery group's committed offsets): ${n(s.committed)}; \`delivered\` audit rows: ${n(s.auditedDelivered)}`,
    `- waiting in Kafka (at or after the committed offsets): ${n(s.waiting)}`,
    `- at the SSC: ${n(s.deliveredToSsc)} distinct records (${n(s.sscRequests)} requests, ${n(s.sscDuplicates)} repeats); the ${n(s.deliveredToSsc - s.committed)} beyond the committed ones were in the open batch and go again, with the same Idempotency-Key, when delivery restarts`,
    `- dead-lettered (\`delivery_failed\`): ${n(s.deadLettered)}`,
    `- Kafka destinations meanwhile: ${n(s.kafkaDelivered)} of ${n(s.kafkaExpected)} SSC topic deliveries, the last ${n(s.kafkaDrainSeconds, 1)} s after the last send`,
  );
  if (s.problems.length > 0) out.push('', `**Problems:** ${s.problems.join('; ')}.`);
  const key = new Set(lagPoints(s.lag));
  let lastShown = Number.NEGATIVE_INFINITY;
  const shown = s.lag.filter((p) => {
    if (!key.has(p) && p.t - lastShown < SHOWN_EVERY_SECONDS) return false;
    lastShown = p.t;
    return true;
  });
  out.push(
    '',
    'The delivery backlog while the load was offered (records; offset lag counts the transaction markers too):',
    '',
    '| s | routed to the slow destination | committed | waiting in Kafka | offset lag | at the SSC |',
    '|---|---|---|---|---|---|',
  );
  for (const p of shown)
    out.push(
      `| ${p.t} | ${n(p.routed)} | ${n(p.committed)} | ${n(p.waiting)} | ${n(p.offsetLag)} | ${n(p.deliveredToSsc)} |`,
    );
  out.push('', 'Memory over the run (RSS, MB):', '', memoryTable(s.memory));
  const names = Object.keys(s.rssTimeline.mb);
  const slices = Math.max(0, ...names.map((name) => s.rssTimeline.mb[name]!.length));
  out.push(
    '',
    `Mean RSS per ${s.rssTimeline.sliceSeconds} s of the run, MB:`,
    '',
    `| Process | ${Array.from({ length: slices }, (_, i) => `${i * s.rssTimeline.sliceSeconds} s`).join(' | ')} |`,
    `|---|${'---|'.repeat(slices)}`,
  );
  for (const name of names)
    out.push(`| ${name} | ${s.rssTimeline.mb[name]!.map((mb) => n(mb ?? undefined)).join(' | ')} |`);
  out.push(
    '',
    'Peak RSS (VmHWM) over the soak, MB: ' +
      Object.entries(s.peakRssMb)
        .map(([name, mb]) => `${name} ${n(mb)}`)
        .join(', ') +
      '.',
  );
  out.push('', 'Per process while the load was offered:', '', stageTable(s.stages));
  return out;
}
