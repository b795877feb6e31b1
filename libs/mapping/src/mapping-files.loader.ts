import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MappingConfigError } from './mapping-config.error';
import type { LoadedJsonFile, MappingFiles } from './mapping-file.types';

/**
 * Reads every mapping file (`libs/domains/<domain>/mappings/*.json`) and shared lookup file
 * (`libs/domains/<domain>/mappings/lookups/*.json`) under `rootDir`, in a stable order. Files are parsed
 * but not validated (that is {@link buildMappingRegistry}'s job); unreadable or malformed JSON fails
 * fast with one {@link MappingConfigError}.
 */
export function loadMappingFiles(rootDir: string): MappingFiles {
  const problems: string[] = [];
  const domainsDir = join(rootDir, 'libs', 'domains');
  const jsonFilesIn = (dir: string): string[] =>
    existsSync(dir) && statSync(dir).isDirectory()
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.json'))
          .sort()
          .map((name) => join(dir, name))
      : [];
  const read = (path: string): LoadedJsonFile | undefined => {
    const shown = relative(rootDir, path).split(sep).join('/');
    try {
      return { path: shown, content: JSON.parse(readFileSync(path, 'utf8')) as unknown };
    } catch (error) {
      problems.push(
        `${shown}: is not readable JSON (${error instanceof Error ? error.message : String(error)})`,
      );
      return undefined;
    }
  };
  const domains = existsSync(domainsDir)
    ? readdirSync(domainsDir)
        .filter((name) => statSync(join(domainsDir, name)).isDirectory())
        .sort()
    : [];
  const mappings: LoadedJsonFile[] = [];
  const lookups: LoadedJsonFile[] = [];
  for (const domain of domains) {
    const dir = join(domainsDir, domain, 'mappings');
    for (const path of jsonFilesIn(dir)) {
      const file = read(path);
      if (file !== undefined) mappings.push(file);
    }
    for (const path of jsonFilesIn(join(dir, 'lookups'))) {
      const file = read(path);
      if (file !== undefined) lookups.push(file);
    }
  }
  if (problems.length > 0) throw new MappingConfigError(problems);
  return { mappings, lookups };
}
