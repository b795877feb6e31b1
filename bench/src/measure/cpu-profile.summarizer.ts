import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where one app's CPU went, from a V8 CPU profile (`node --cpu-prof`). */
export interface ProfileSummary {
  file: string;
  /** Sampled CPU time, seconds (idle excluded). */
  busySeconds: number;
  /** Self time by package or hub module, share of busy time. */
  byModule: Array<{ module: string; percent: number }>;
  /** Self time by function, share of busy time. */
  topFunctions: Array<{ fn: string; percent: number }>;
}

/** Package (`node_modules/<pkg>`), hub module (`libs/x`, `apps/y`) or V8 category of a frame. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = /\/dist\/((?:libs|apps|bench)\/[^/]+(?:\/[^/]+)?)/.exec(url);
  if (dist) return dist[1]!.replace(/\/src$/, '');
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/').slice(-2).join('/');
}

/** Summarises one profile: self time by module and by function. */
export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    busy += micros;
    const module = moduleOf(frame.url, frame.functionName);
    modules.set(module, (modules.get(module) ?? 0) + micros);
    const fn = `${frame.functionName || '(anonymous)'} [${module}]`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const share = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, percent: Math.round((micros / Math.max(1, busy)) * 1000) / 10 }));
  return {
    file,
    busySeconds: Math.round(busy / 1e4) / 100,
    byModule: share(modules).map(({ name, percent }) => ({ module: name, percent })),
    topFunctions: share(functions).map(({ name, percent }) => ({ fn: name, percent })),
  };
}

/** Every profile in `dir` (one per process that exited normally), newest first. */
export function profilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
