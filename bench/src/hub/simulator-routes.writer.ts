import { readFileSync, writeFileSync } from 'node:fs';
import { HttpDestination, RoutingConfig, defaultRoutesFile } from '@hub/routing';

/**
 * Writes the stock routing table (config/routing.json) with every HTTP destination pointed at the SSC
 * simulator (same path, the simulator's host and port) to `file`, for the router and the delivery app's
 * ROUTES_FILE. Everything else is the stock table, so records route exactly as the bench predicted
 * in-process, and the simulator's port is a free one (no clash with `npm start`'s 3100).
 * Returns the HTTP destinations as written.
 */
export function writeRoutesToSimulator(file: string, simulatorUrl: string): HttpDestination[] {
  const stock = JSON.parse(readFileSync(defaultRoutesFile(), 'utf8')) as RoutingConfig;
  const http: HttpDestination[] = [];
  const destinations = stock.destinations.map((d) => {
    if (d.kind !== 'http') return d;
    const moved: HttpDestination = { ...d, url: new URL(new URL(d.url).pathname, simulatorUrl).toString() };
    http.push(moved);
    return moved;
  });
  writeFileSync(file, JSON.stringify({ ...stock, destinations }, null, 2));
  return http;
}
