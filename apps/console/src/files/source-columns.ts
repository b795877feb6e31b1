import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import type { FieldRuleSpec, MappingFileSpec } from '@hub/mapping';

/**
 * The column alias groups a file mapping reads (each `from`, and each part of a `concat`), for finding
 * the header row of an export under its preamble. `$row` and other `$` context names are not columns.
 */
export function sourceColumnGroups(
  spec: Pick<MappingFileSpec, 'fields' | 'recordId' | 'operation'>,
): string[][] {
  const groups: string[][] = [];
  const add = (rule: FieldRuleSpec | undefined) => {
    if (!rule) return;
    if (typeof rule.from === 'string') groups.push([rule.from]);
    else if (Array.isArray(rule.from)) groups.push([...(rule.from as readonly string[])]);
    for (const part of rule.concat ?? []) groups.push([part]);
  };
  add(spec.recordId);
  add(spec.operation);
  for (const rule of Object.values(spec.fields)) add(rule);
  const seen = new Set<string>();
  return groups
    .map((g) => g.filter((name) => !name.startsWith('$')))
    .filter((g) => g.length > 0)
    .filter((g) => {
      const key = g.join('\u001f');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Reads a mapping file (path relative to the repository root, as CompiledMapping.file gives it). */
export function readMappingSpec(relativeFile: string): MappingFileSpec & { recordPath?: string } {
  return JSON.parse(readFileSync(join(repoRoot(), relativeFile), 'utf8')) as MappingFileSpec & {
    recordPath?: string;
  };
}
