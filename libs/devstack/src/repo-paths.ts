import fs from 'node:fs';
import path from 'node:path';
import { DevstackError } from './devstack.error';

let cachedRoot: string | undefined;

/**
 * The repository root: the nearest ancestor of this file that holds `package.json` and
 * `deploy/kafka/pom.xml`. Found by walking up (not a fixed `../..`) so the same code works from
 * `libs/devstack/src` under jest and from `dist/libs/devstack/src` after a build, in any clone location.
 */
export function repoRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'package.json')) &&
      fs.existsSync(path.join(dir, 'deploy', 'kafka', 'pom.xml'))
    ) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new DevstackError(
        `Cannot find the repository root above ${__dirname} (looked for package.json next to deploy/kafka/pom.xml)`,
      );
    }
    dir = parent;
  }
}

/** A path under the git-ignored `.local/` folder of the repository, where all dev-stack state lives. */
export function localPath(...segments: string[]): string {
  return path.join(repoRoot(), '.local', ...segments);
}

/** Rejects names that would escape `.local/` or be awkward in paths and process listings. */
export function assertSafeName(name: string, what: string): void {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(name)) {
    throw new DevstackError(
      `Invalid ${what} name "${name}": use letters, digits, "-" and "_" only (at most 63 characters)`,
    );
  }
}
