import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { PartnershipConfigError } from './partnership-config.error';
import { createPartnership, type PartnershipConfigFile } from './partnership.factory';
import type { Partnership } from './partnership.model';

const CONFIG_DIR = join('config', 'partnership');

/** The repository root: the nearest directory above this file that holds `config/partnership`. */
export function findPartnershipRoot(startDir: string = __dirname): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_DIR, 'councils.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new PartnershipConfigError([
        `no ${CONFIG_DIR}/councils.json found above ${startDir}; pass the repository root to loadPartnership`,
      ]);
    }
  }
}

/**
 * Loads and validates the partnership configuration: `config/partnership/councils.json` and one
 * `config/partnership/feeds/<council>.json` per council. Fails fast with one
 * {@link PartnershipConfigError} naming each file and field at fault.
 * @param rootDir repository root (default: found above this file)
 */
export function loadPartnership(rootDir: string = findPartnershipRoot()): Partnership {
  const configDir = join(rootDir, CONFIG_DIR);
  const read = (path: string): PartnershipConfigFile => {
    const shown = relative(rootDir, path).split(sep).join('/');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new PartnershipConfigError([`${shown}: cannot be read`]);
    }
    try {
      return { path: shown, content: JSON.parse(text) as unknown };
    } catch (error) {
      throw new PartnershipConfigError([
        `${shown}: is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      ]);
    }
  };
  const feedsDir = join(configDir, 'feeds');
  const feedFiles = existsSync(feedsDir)
    ? readdirSync(feedsDir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => read(join(feedsDir, name)))
    : [];
  return createPartnership(read(join(configDir, 'councils.json')), feedFiles);
}
