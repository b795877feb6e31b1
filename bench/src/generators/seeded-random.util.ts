import type { Rng } from './generator.types';

/** mulberry32: small, fast and deterministic; good enough to spread benchmark values. */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One item of a non-empty list, chosen by `rnd`. */
export function pick<T>(rnd: Rng, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** An amount in pounds between min and max with two decimals, as text (e.g. `1234.56`). */
export function money(rnd: Rng, min: number, max: number): string {
  return (min + rnd() * (max - min)).toFixed(2);
}

/** `1234.56` as a ledger prints it: `£1,234.56`. */
export function poundsWithSymbol(amount: string): string {
  return `£${Number(amount).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** ISO date `days` before today. */
export function isoDateDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** dd/mm/yyyy `days` before today. */
export function ukDateDaysAgo(days: number): string {
  const [y, m, d] = isoDateDaysAgo(days).split('-');
  return `${d}/${m}/${y}`;
}

/** Text safe inside an XML element or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
