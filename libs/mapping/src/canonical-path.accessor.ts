/** A mutable canonical data object under construction. */
export type CanonicalData = Record<string, unknown>;

/**
 * Compiles a setter for a dotted canonical path: `supplier.name` becomes a function that creates
 * `supplier` on first use and assigns `name`. Intermediate objects are created only when a value is
 * written, so an unmapped optional object never appears empty.
 */
export function compileSetter(path: string): (data: CanonicalData, value: unknown) => void {
  const segments = path.split('.');
  const last = segments.pop()!;
  if (segments.length === 0) return (data, value) => void (data[last] = value);
  if (segments.length === 1) {
    const parent = segments[0]!;
    return (data, value) => {
      let object = data[parent] as CanonicalData | undefined;
      if (object === undefined) data[parent] = object = {};
      object[last] = value;
    };
  }
  return (data, value) => {
    let object = data;
    for (const segment of segments) {
      let next = object[segment] as CanonicalData | undefined;
      if (next === undefined) object[segment] = next = {};
      object = next;
    }
    object[last] = value;
  };
}

/** Compiles a reader for a dotted canonical path (`undefined` when any step is missing). */
export function compileGetterOfCanonical(path: string): (data: CanonicalData) => unknown {
  const segments = path.split('.');
  return (data) => {
    let current: unknown = data;
    for (const segment of segments) {
      if (current === undefined || current === null || typeof current !== 'object') return undefined;
      current = (current as CanonicalData)[segment];
    }
    return current;
  };
}

/** Deletes the value at a dotted path and any objects left empty above it. */
export function deleteAtPath(data: CanonicalData, path: string): void {
  const segments = path.split('.');
  const chain: CanonicalData[] = [data];
  for (const segment of segments.slice(0, -1)) {
    const next = chain[chain.length - 1]![segment];
    if (next === undefined || next === null || typeof next !== 'object') return;
    chain.push(next as CanonicalData);
  }
  delete chain[chain.length - 1]![segments[segments.length - 1]!];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length > 0) break;
    delete chain[i - 1]![segments[i - 1]!];
  }
}
