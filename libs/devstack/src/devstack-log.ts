/** Where the dev stack writes its progress lines (one line per call, no trailing newline). */
export type DevstackLog = (line: string) => void;

/** Default progress sink: stdout with a prefix, so lines stand out between jest's and Nest's output. */
export const consoleDevstackLog: DevstackLog = (line) => console.log(`[devstack] ${line}`);

/** Formats a duration for progress lines, e.g. `4.2 s`. */
export function formatMs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
