import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './bench-results.model';
import { composeReadmeBlock, resultsStamp } from './readme-block.composer';
import { renderResultsMarkdown } from './results-markdown.renderer';
import { renderThroughputChart } from './throughput-chart.renderer';

const README_START = '<!-- bench:latest:start -->';
const README_END = '<!-- bench:latest:end -->';

/** Where one run's files went. */
export interface WrittenResults {
  json: string;
  markdown: string;
  svg: string;
}

/**
 * Writes a run as `<stamp>.json`, `<stamp>.md` and `<stamp>.svg` under the results folder, and the same as
 * `latest.json` / `latest.md` / `latest.svg`; optionally rewrites the latest-results block of bench/README.md
 * (see composeReadmeBlock: a partial run adds its rows, it does not replace the last full run's table).
 */
export function writeResults(results: BenchResults, dir: string, readme: string | undefined): WrittenResults {
  mkdirSync(dir, { recursive: true });
  const stamp = resultsStamp(results);
  const chartTitle = `Hub benchmark ${results.startedAt.slice(0, 16).replace('T', ' ')}: records/s over time`;
  const svg = renderThroughputChart(results.series, chartTitle);
  const files = {
    json: join(dir, `${stamp}.json`),
    markdown: join(dir, `${stamp}.md`),
    svg: join(dir, `${stamp}.svg`),
  };
  writeFileSync(files.svg, svg);
  writeFileSync(join(dir, 'latest.svg'), svg);
  const json = JSON.stringify(results, null, 2) + '\n';
  writeFileSync(files.json, json);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(files.markdown, renderResultsMarkdown(results, `${stamp}.svg`));
  writeFileSync(join(dir, 'latest.md'), renderResultsMarkdown(results, 'latest.svg'));
  if (readme && existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const start = text.indexOf(README_START);
    const end = text.indexOf(README_END);
    if (start >= 0 && end > start) {
      const block = `${README_START}\n${composeReadmeBlock(results, dir)}\n${README_END}`;
      writeFileSync(readme, text.slice(0, start) + block + text.slice(end + README_END.length));
    }
  }
  return files;
}
