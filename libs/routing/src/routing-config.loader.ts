import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import { RoutingConfig } from './routing-config.types';
import { RoutingTable } from './routing-table';

/** Default location of the routing configuration. */
export const defaultRoutesFile = (): string => join(repoRoot(), 'config', 'routing.json');

/** Loads and compiles the routing table; throws one clear error naming the file on a bad config. */
export function loadRoutingTable(file = defaultRoutesFile()): RoutingTable {
  let config: RoutingConfig;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as RoutingConfig;
  } catch (error) {
    throw new Error(`Cannot read routing configuration ${file}: ${(error as Error).message}`);
  }
  for (const key of ['agreements', 'destinations', 'routes'] as const) {
    if (!Array.isArray(config[key]))
      throw new Error(`Routing configuration ${file}: "${key}" must be a list`);
  }
  try {
    return new RoutingTable(config);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
