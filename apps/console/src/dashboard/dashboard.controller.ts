import { Controller, Get, Header, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import { ErrorCodes } from '@hub/platform';

/** The dashboard's files (apps/console/public) and their content types: the only files served. */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * Everything from this origin, nothing inline, no framing: the page holds a bearer token in
 * sessionStorage, so injected script must have nowhere to come from.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Serves the operations dashboard from the repository folder (no build step: the page is plain HTML,
 * CSS and JavaScript). Loading the page needs no token; the page asks for one and every API call it
 * makes carries it.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly folder = join(repoRoot(), 'apps', 'console', 'public');

  // Explicit routes, no `:file` parameter: a catch-all at the root would shadow /metrics and friends.
  @Get()
  index(@Res() res: Response): Promise<void> {
    return this.send('index.html', res);
  }

  @Get('app.js')
  script(@Res() res: Response): Promise<void> {
    return this.send('app.js', res);
  }

  @Get('app.css')
  styles(@Res() res: Response): Promise<void> {
    return this.send('app.css', res);
  }

  @Get('favicon.ico')
  @Header('Cache-Control', 'max-age=86400')
  favicon(@Res() res: Response): void {
    res.status(204).end();
  }

  private async send(name: string, res: Response): Promise<void> {
    const type = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type)
      throw new NotFoundException({
        code: ErrorCodes.NOT_FOUND,
        message: `There is no ${name} here; the dashboard is at /.`,
      });
    const body = await readFile(join(this.folder, name));
    res
      .status(200)
      .type(type)
      .set({
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(body);
  }
}
