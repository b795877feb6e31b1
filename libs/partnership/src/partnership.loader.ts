import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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
  return readPartnership(join(rootDir, CONFIG_DIR), (path) => relative(rootDir, path).split(sep).join('/'));
}

/**
 * The same from a folder that holds `councils.json` and `feeds/` itself: what `PARTNERSHIP_DIR` names
 * (a deployment's own copy of `config/partnership`). Messages name the files by their full path.
 */
export function loadPartnershipDir(configDir: string): Partnership {
  return readPartnership(resolve(configDir), (path) => path);
}

function readPartnership(configDir: string, show: (path: string) => string): Partnership {
  const read = (path: string): PartnershipConfigFile => {
    const shown = show(path);
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
