import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCENARIOS, SCENARIOS, ScenarioName } from '../cli/bench-options.parser';
import type { BenchResults } from './bench-results.model';
import { renderSummaryMarkdown } from './results-markdown.renderer';
import { buildResultsTable, renderMarkdownTable } from './results-table.builder';

/** Where each scenario keeps its result in `BenchResults.scenarios`. */
const RESULT_KEY: Record<ScenarioName, keyof BenchResults['scenarios']> = {
  mapping: 'mapping',
  stages: 'stages',
  baseline: 'baseline',
  hub: 'hub',
  latency: 'latency',
  lineage: 'lineage',
  'scale-out': 'scaleOut',
  soak: 'soak',
};

/** The file name stem of a run's results (`<stamp>.json|md|svg`). */
export function resultsStamp(r: Pick<BenchResults, 'startedAt'>): string {
  return r.startedAt.replace(/[:.]/g, '-');
}

/** A run of every default scenario, whose table can stand for "the latest results". */
function isFullRun(r: BenchResults): boolean {
  return DEFAULT_SCENARIOS.every((s) => r.options?.scenarios?.includes(s));
}

/** Every run whose results are in `dir`, newest first (unreadable or foreign files are skipped). */
function storedRuns(dir: string): BenchResults[] {
  const runs: BenchResults[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json') || file === 'latest.json') continue;
    try {
      const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as BenchResults;
      if (typeof r.runId === 'string' && typeof r.startedAt === 'string' && r.scenarios) runs.push(r);
    } catch {
      // not a results file
    }
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/**
 * The latest-results block of bench/README.md. A partial run (`--only soak`, `--only scale-out`) must not
 * replace the table of the last full run with its few rows, so the block is composed from the results
 * files: the newest run of every default scenario (its own table, as it printed it), then, for each
 * scenario that run did not include, the rows of the newest run that measured it, rebuilt from its JSON.
 */
export function composeReadmeBlock(current: BenchResults, dir: string): string {
  const runs = storedRuns(dir);
  if (!runs.some((r) => r.runId === current.runId)) runs.unshift(current);
  const base = runs.find(isFullRun) ?? current;
  const own = base.runId === current.runId;
  // Each run's own files, not latest.*: the next run (or one with --no-readme) overwrites those.
  const link = (r: BenchResults, ext: string) => `results/${resultsStamp(r)}.${ext}`;
  const out = [
    renderSummaryMarkdown(base, link(base, 'svg')),
    '',
    `Details: [${link(base, 'md')}](${link(base, 'md')}).`,
  ];
  const extras = new Map<string, { run: BenchResults; keys: Array<keyof BenchResults['scenarios']> }>();
  for (const scenario of SCENARIOS) {
    if (base.options?.scenarios?.includes(scenario)) continue;
    const key = RESULT_KEY[scenario];
    const run = runs.find((r) => r.scenarios[key] !== undefined);
    if (!run) continue;
    const entry = extras.get(run.runId) ?? { run, keys: [] };
    entry.keys.push(key);
    extras.set(run.runId, entry);
  }
  if (extras.size > 0)
    out.push(
      '',
      own
        ? 'Scenarios this run did not include, from the newest run of each:'
        : 'That was the newest run of every default scenario. Scenarios it did not include, from the newest run of each:',
    );
  for (const { run, keys } of extras.values()) {
    let table: string;
    try {
      const scenarios = Object.fromEntries(keys.map((k) => [k, run.scenarios[k]]));
      table = renderMarkdownTable(buildResultsTable({ ...run, scenarios }));
    } catch (error) {
      // An older results file whose shape this code no longer reads: say so rather than fail the run.
      table = `(rows could not be rebuilt: ${error instanceof Error ? error.message : String(error)})`;
    }
    out.push(
      '',
      `Run \`${run.runId}\` at ${run.startedAt} (\`${run.command}\`; load at start \`${run.machine?.uptimeAtStart ?? '-'}\`), details: [${link(run, 'md')}](${link(run, 'md')}).`,
      '',
      table,
    );
  }
  return out.join('\n');
}
