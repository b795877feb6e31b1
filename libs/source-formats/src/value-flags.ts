/** Paths of values the mapping layer may want to refuse; collected, never acted on, by the parsers. */
export interface ValueFlags {
  controlCharacters: string[];
  impreciseNumbers: string[];
}

// C0 controls other than tab, LF and CR, DEL, and the C1 range: never legitimate in a council record's text,
// typically the residue of a wrong charset or a copy from a terminal.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Walks a parsed value and records, by path (`a.b[2].c`), strings with control characters and unsafe integers. */
export function collectValueFlags(value: unknown, path: string, flags: ValueFlags): void {
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) flags.controlCharacters.push(path);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) flags.impreciseNumbers.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectValueFlags(item, `${path}[${index}]`, flags));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      collectValueFlags(child, path === '' ? key : `${path}.${key}`, flags);
    }
  }
}
