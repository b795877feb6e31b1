/** Deterministic pseudo-random numbers (mulberry32), so a demo run can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];

/** One source record as a council's system would send it. */
export interface DemoRecord {
  key: string;
  body: string;
}

/**
 * Makes realistic source records in one council feed's own layout (the layout its mapping file
 * reads). Keyed by the ce_type the feed's config maps to that mapping.
 */
export interface DemoGenerator {
  /** The mapping this generator's records are shaped for (documentation and tests). */
  mappingId: string;
  contentType: 'application/json' | 'application/xml' | 'text/csv';
  make(sequence: number, rnd: () => number): DemoRecord;
  /** A realistic broken record for the flaky feed (e.g. a truncated export line). */
  makeBroken?(sequence: number, rnd: () => number): DemoRecord;
}

export function isoDateDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

export function ukDateDaysAgo(days: number): string {
  const [y, m, d] = isoDateDaysAgo(days).split('-');
  return `${d}/${m}/${y}`;
}

export function money(rnd: () => number, min: number, max: number): string {
  return (min + rnd() * (max - min)).toFixed(2);
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Makes a realistic file export (CSV or XML) in a file-based feed's layout, uploaded by the demo
 * publisher through the console's files API as the council's scheduled export would be.
 */
export interface DemoFileGenerator {
  mappingId: string;
  format: 'csv' | 'xml';
  /** A whole export file of `rows` records, e.g. a monthly spend file. */
  makeFile(sequence: number, rnd: () => number, rows: number): { name: string; body: Buffer };
}
