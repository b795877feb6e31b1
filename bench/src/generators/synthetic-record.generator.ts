import type { LoadedJsonFile, MappingFiles } from '@hub/mapping';
import type { GeneratedSource, Rng, SourceRecordGenerator } from './generator.types';
import { isoDateDaysAgo, money, pick, xmlEscape } from './seeded-random.util';

/** The parts of a mapping file's rule this generator reads (the file is already validated by the registry). */
interface RuleShape {
  from?: string | string[];
  concat?: string[];
  type?: string;
  required?: boolean;
  lookup?: string;
  extract?: string;
  values?: string[];
  matches?: string;
}

interface MappingShape {
  id: string;
  format: 'json' | 'xml' | 'csv';
  root?: string;
  recordId: RuleShape;
  operation?: RuleShape;
  fields: Record<string, RuleShape>;
  lookups?: Record<string, Record<string, unknown>>;
}

const POSTCODES = ['CV1 2GN', 'B91 3QB', 'CV34 4RL', 'CV11 5SF', 'B37 7ES'];

/**
 * A generator for a mapping that has no hand-written one yet (a domain being added by others): it reads the
 * mapping file and fills every source path with a value of the rule's type (dates, pence, UPRNs, lookup keys).
 * Values are plausible, not realistic; the mix planner maps a sample in-process and leaves the mapping out of
 * the run if the records do not pass, saying why.
 */
export function syntheticGenerator(
  file: LoadedJsonFile,
  files: MappingFiles,
): SourceRecordGenerator | undefined {
  const spec = asMappingShape(file.content);
  if (!spec) return undefined;
  const sharedLookups = new Map<string, Record<string, unknown>>();
  for (const lookup of files.lookups) {
    const content = lookup.content as { name?: unknown; entries?: unknown };
    if (typeof content.name === 'string' && typeof content.entries === 'object' && content.entries !== null) {
      sharedLookups.set(content.name, content.entries as Record<string, unknown>);
    }
  }
  const lookupTable = (name: string | undefined): Record<string, unknown> =>
    name ? (spec.lookups?.[name] ?? sharedLookups.get(name) ?? {}) : {};
  const lookupKeys = (name: string | undefined): string[] =>
    Object.keys(lookupTable(name)).filter((k) => k !== '*');
  const idParts = new Set<string>([...sourcesOf(spec.recordId)]);
  return {
    mappingId: spec.id,
    format: spec.format,
    handWritten: false,
    make(n: number, rnd: Rng): GeneratedSource {
      const values = new Map<string, string>();
      const put = (path: string, value: string | undefined) => {
        if (value !== undefined && !path.startsWith('$') && !values.has(path)) values.set(path, value);
      };
      for (const path of idParts)
        put(path, `${path.split('.').pop()!.slice(0, 3).toUpperCase()}${100_000 + n}`);
      if (spec.operation) {
        const table = lookupTable(spec.operation.lookup);
        const upsert = Object.keys(table).find((k) => k !== '*' && table[k] === 'upsert');
        for (const path of sourcesOf(spec.operation)) put(path, upsert ?? 'upsert');
      }
      // One day per record: start/end style dates are derived from it so "end not before start" holds.
      const day = Math.floor(rnd() * 60) + 5;
      for (const [field, rule] of Object.entries(spec.fields)) {
        for (const path of sourcesOf(rule))
          put(path, valueFor(field, path, rule, n, rnd, lookupKeys(rule.lookup), day));
      }
      const key = [...idParts].map((p) => values.get(p) ?? '').join(',');
      if (spec.format === 'csv') return { kind: 'csv', key, row: Object.fromEntries(values) };
      if (spec.format === 'json') return { kind: 'json', key, object: nestedObject(values) };
      return { kind: 'xml', key, xml: xmlDocument(spec.root ?? 'Record', values) };
    },
  };
}

function asMappingShape(content: unknown): MappingShape | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as Partial<MappingShape>;
  if (typeof c.id !== 'string' || !c.format || !['json', 'xml', 'csv'].includes(c.format)) return undefined;
  if (typeof c.fields !== 'object' || c.fields === null || typeof c.recordId !== 'object') return undefined;
  return c as MappingShape;
}

/** The source paths (or CSV columns) a rule reads: its first alias, or every part of a concat. */
function sourcesOf(rule: RuleShape | undefined): string[] {
  if (!rule) return [];
  if (rule.concat) return rule.concat.filter((p) => !p.startsWith('$'));
  if (Array.isArray(rule.from)) return rule.from.length > 0 ? [rule.from[0]!] : [];
  return typeof rule.from === 'string' && !rule.from.startsWith('$') ? [rule.from] : [];
}

const GIVEN = ['Amelia', 'Oliver', 'Priya', 'Mohammed', 'Grace', 'Tomasz', 'Siobhan', 'Kwame'];
const FAMILY = ['Patel', 'Smith', 'Nowak', 'Jones', "O'Brien", 'Okafor', 'Taylor', 'Hughes'];

/** Dates relative to the record's day: end-like fields after start-like ones, birth dates decades back. */
function dateFor(name: string, day: number): Date {
  if (/birth|dob/.test(name)) return new Date(Date.UTC(1960 + (day % 40), day % 12, 1 + (day % 28)));
  const later = /end|last|clos|leav|resolv|complet|finish|modified|updated/.test(name);
  return new Date(Date.now() - (later ? day - 2 : day) * 86_400_000);
}

/** A value by what the field is called, before falling back to its type. */
function valueByName(name: string, n: number, rnd: Rng): string | undefined {
  if (/e-?mail/.test(name))
    return `${pick(rnd, GIVEN)}.${pick(rnd, FAMILY).replace(/'/g, '')}${n % 100}@example.org`.toLowerCase();
  if (/mobile/.test(name)) return `07700 900${String(100 + (n % 900))}`;
  if (/phone|tel/.test(name)) return `024 7683 ${String(1000 + (n % 9000))}`;
  if (/given|forename|first ?name|knownas|preferred/.test(name)) return pick(rnd, GIVEN);
  if (/family|surname|last ?name/.test(name)) return pick(rnd, FAMILY);
  if (/fullname|customer\.name|contact\.name/.test(name)) return `${pick(rnd, GIVEN)} ${pick(rnd, FAMILY)}`;
  if (/(^|\.)title$/.test(name)) return pick(rnd, ['Mr', 'Ms', 'Mrs', 'Dr', 'Mx']);
  if (/latitude/.test(name)) return (52.38 + rnd() * 0.1).toFixed(6);
  if (/longitude/.test(name)) return (-1.56 + rnd() * 0.1).toFixed(6);
  if (/easting/.test(name)) return (430_000 + rnd() * 9_000).toFixed(2);
  if (/northing/.test(name)) return (275_000 + rnd() * 9_000).toFixed(2);
  if (/fte/.test(name)) return (0.5 + Math.floor(rnd() * 6) / 10).toFixed(2);
  if (/hours/.test(name)) return (7.5 + Math.floor(rnd() * 30)).toFixed(2);
  if (/days/.test(name)) return String(1 + Math.floor(rnd() * 10));
  return undefined;
}

function valueFor(
  field: string,
  path: string,
  rule: RuleShape,
  n: number,
  rnd: Rng,
  lookupKeys: string[],
  day: number,
): string | undefined {
  if (lookupKeys.length > 0) return pick(rnd, lookupKeys);
  const name = `${field} ${path}`.toLowerCase();
  const type = rule.type ?? 'string';
  if (type === 'date') return dateFor(name, day).toISOString().slice(0, 10);
  if (type === 'datetime')
    return dateFor(name, day)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  if (type === 'string' || type === 'decimal' || type === 'integer') {
    const byName = valueByName(name, n, rnd);
    if (byName !== undefined) return byName;
  }
  if (rule.extract && !rule.required) return undefined; // a pattern we cannot guess: leave the optional field out
  switch (type) {
    case 'pence':
      return money(rnd, 5, 5_000);
    case 'decimal':
      return (rnd() * 100).toFixed(2);
    case 'integer':
      return String(1 + Math.floor(rnd() * 60));
    case 'date':
      return isoDateDaysAgo(Math.floor(rnd() * 60));
    case 'datetime':
      return new Date(Date.now() - Math.floor(rnd() * 5e9)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'boolean':
      return rule.matches ? (rnd() < 0.2 ? 'yes' : 'no') : rnd() < 0.5 ? 'true' : 'false';
    case 'uprn':
      return String(100_070_000_000 + Math.floor(rnd() * 999_999));
    case 'usrn':
      return String(26_000_000 + Math.floor(rnd() * 99_999));
    case 'postcode':
      return pick(rnd, POSTCODES);
    case 'nino':
      return 'JG103759A';
    case 'enum':
      return rule.values && rule.values.length > 0 ? pick(rnd, rule.values) : undefined;
    default:
      return `${humanise(field)} ${1 + (n % 97)}`;
  }
}

function humanise(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

/** Dotted paths to nested objects; a path that would pass through a value keeps the value. */
function nestedObject(values: Map<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of values) {
    const steps = path.split('.');
    let node = root;
    let blocked = false;
    for (const step of steps.slice(0, -1)) {
      const next = node[step];
      if (next === undefined) node = node[step] = {} as Record<string, unknown>;
      else if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else {
        blocked = true;
        break;
      }
    }
    const last = steps[steps.length - 1]!;
    if (!blocked && node[last] === undefined) node[last] = value;
  }
  return root;
}

interface XmlNode {
  text?: string;
  children: Map<string, XmlNode>;
}

/** Dotted paths to XML elements; a leaf under an element that holds text becomes an attribute of it. */
function xmlDocument(root: string, values: Map<string, string>): string {
  const top: XmlNode = { children: new Map() };
  for (const [path, value] of values) {
    let node = top;
    for (const step of path.split('.')) {
      let child = node.children.get(step);
      if (!child) node.children.set(step, (child = { children: new Map() }));
      node = child;
    }
    node.text ??= value;
  }
  const render = (name: string, node: XmlNode): string => {
    const leaves = [...node.children].filter(([, c]) => c.children.size === 0 && c.text !== undefined);
    const asAttributes = node.text !== undefined ? leaves : [];
    const attrs = asAttributes.map(([k, c]) => ` ${k}="${xmlEscape(c.text!)}"`).join('');
    const inner = [...node.children]
      .filter(([k]) => !asAttributes.some(([a]) => a === k))
      .map(([k, c]) => render(k, c))
      .join('');
    return `<${name}${attrs}>${node.text !== undefined ? xmlEscape(node.text) : ''}${inner}</${name}>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, top)}`;
}
