import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import { HubMetrics } from '@hub/platform';
import { FeedMetricNames } from '../feeds/feed-health.metrics';

/**
 * The shipped Prometheus rules and Grafana dashboard (deploy/): they parse, have the fields their tools
 * need, and name only metrics the hub exports. No YAML package is installed, so the rules file keeps to
 * a small YAML subset (block mappings and lists, one scalar per line) and is checked structurally here;
 * `promtool check rules` is the full check where Prometheus is installed.
 */
const RULES = join(repoRoot(), 'deploy', 'prometheus', 'alert-rules.yml');
const DASHBOARD = join(repoRoot(), 'deploy', 'grafana', 'hub-dashboard.json');

/** Every metric the hub exports: the platform's, the console's feed gauges, the delivery app's circuit gauge. */
function knownMetrics(): Set<string> {
  const names = new HubMetrics('spec').registry.getMetricsAsArray().map((m) => m.name);
  // apps/delivery/src/delivery.app.ts CIRCUIT_STATE_METRIC (not imported: it would start nothing, but pulls in the delivery app)
  return new Set([...names, ...Object.values(FeedMetricNames), 'hub_delivery_circuit_state']);
}

/** `hub_*` metric names in a PromQL expression, histogram suffixes removed. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(hub_[a-z_]+)\b/g)].map((m) => m[1].replace(/_(bucket|sum|count)$/, ''));
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

interface Rule {
  alert: string;
  fields: Map<string, string>;
}

/** Reads the rules file's subset of YAML into rules: each `- alert:` item with its `key: value` lines. */
function readRules(text: string): { groups: string[]; rules: Rule[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  expect(lines[0]).toBe('groups:');
  const groups: string[] = [];
  const rules: Rule[] = [];
  for (const line of lines.slice(1)) {
    expect(line).not.toMatch(/\t/);
    const indent = line.length - line.trimStart().length;
    expect(indent % 2).toBe(0);
    const item = /^(\s*)(- )?([a-z_]+):(?: (.*))?$/i.exec(line);
    if (!item) throw new Error(`not in the YAML subset: ${line}`);
    const [, , dash, key, value] = item;
    if (value !== undefined) {
      // A plain scalar must not hold ": " or " #", and one starting with a quote must be a whole quoted string.
      if (value.startsWith('"')) expect(value).toMatch(/^"([^"\\]|\\.)*"$/);
      else {
        expect(value).not.toMatch(/: | #/);
        expect(value).not.toMatch(/^[{[&*!|>'%@`]/);
      }
    }
    if (dash && key === 'name') groups.push(value ?? '');
    else if (dash && key === 'alert') rules.push({ alert: value ?? '', fields: new Map() });
    else if (value !== undefined && rules.length > 0)
      rules[rules.length - 1].fields.set(key, value.replace(/^"(.*)"$/, '$1'));
  }
  return { groups, rules };
}

describe('deploy/prometheus/alert-rules.yml', () => {
  const { groups, rules } = readRules(readFileSync(RULES, 'utf8'));

  it('has named groups of rules, each alert named once', () => {
    expect(groups).toEqual(['hub-feeds', 'hub-consumers', 'hub-destinations']);
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const r of rules) expect(r.alert).toMatch(/^Hub[A-Z][A-Za-z]+$/);
  });

  it('covers the four alerts of the dashboard: stale feed, DLQ growth, consumer lag, destination down', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['HubFeedStale', 'HubDlqGrowth', 'HubConsumerLagHigh', 'HubDestinationDown']),
    );
  });

  it('gives every rule an expression, a severity, a summary and a description', () => {
    for (const r of rules) {
      expect([r.alert, r.fields.get('severity')]).toEqual([
        r.alert,
        expect.stringMatching(/^(critical|warning|info)$/),
      ]);
      expect(r.fields.get('summary')).toBeTruthy();
      expect(r.fields.get('description')).toBeTruthy();
      const forValue = r.fields.get('for');
      if (forValue !== undefined) expect(forValue).toMatch(/^\d+[smh]$/);
      const expr = r.fields.get('expr') ?? '';
      expect([r.alert, balanced(expr)]).toEqual([r.alert, true]);
    }
  });

  it('uses only metrics the hub exports', () => {
    const known = knownMetrics();
    for (const r of rules)
      for (const m of metricsIn(r.fields.get('expr') ?? ''))
        expect([r.alert, m, known.has(m)]).toEqual([r.alert, m, true]);
  });
});

describe('deploy/grafana/hub-dashboard.json', () => {
  interface Panel {
    id: number;
    title: string;
    type: string;
    gridPos: { h: number; w: number; x: number; y: number };
    targets: Array<{ expr: string; refId: string }>;
  }
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    uid: string;
    title: string;
    templating: { list: Array<{ name: string }> };
    panels: Panel[];
  };

  it('parses as a Grafana dashboard with a data source variable', () => {
    expect(dashboard.uid).toBe('council-integration-hub');
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(
      expect.arrayContaining(['datasource', 'council']),
    );
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it('charts throughput, errors, lag and delivery latency', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const m of [
      'hub_records_received_total',
      'hub_records_rejected_total',
      'hub_consumer_lag',
      'hub_delivery_latency_seconds_bucket',
      'hub_deliveries_total',
    ]) {
      expect(exprs).toContain(m);
    }
  });

  it('queries only metrics the hub exports, in balanced expressions', () => {
    const known = knownMetrics();
    for (const p of dashboard.panels) {
      expect(p.gridPos.w).toBeGreaterThan(0);
      for (const t of p.targets) {
        expect([p.title, balanced(t.expr)]).toEqual([p.title, true]);
        for (const m of metricsIn(t.expr)) expect([p.title, m, known.has(m)]).toEqual([p.title, m, true]);
      }
    }
  });
});
