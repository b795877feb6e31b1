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
    for (let i = 0; i < value.length; i += 1) collectChild(value[i], path, i, flags);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) collectChild(object[key], path, key, flags);
  }
}

/**
 * One child of an array or object. Runs for every field of every record, and nearly all are clean leaves:
 * their path string is built only when they are flagged (or when there is a level below them to walk).
 */
function collectChild(child: unknown, parent: string, key: string | number, flags: ValueFlags): void {
  if (typeof child === 'string') {
    if (CONTROL_CHARACTER.test(child)) flags.controlCharacters.push(childPath(parent, key));
  } else if (typeof child === 'number') {
    if (Number.isInteger(child) && !Number.isSafeInteger(child))
      flags.impreciseNumbers.push(childPath(parent, key));
  } else if (child !== null && typeof child === 'object') {
    collectValueFlags(child, childPath(parent, key), flags);
  }
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
