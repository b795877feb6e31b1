import { BadRequestException, Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { AuditEventPage, VerifyReport, decodeCursor, listAuditEvents, verifyAuditLog } from '@hub/audit';
import { ErrorCodes } from '@hub/platform';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { AccessAuditor } from './access-auditor';
import { PG_POOL } from '../console.tokens';
import { toCsv } from './audit-export';

function parseDate(name: string, value?: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new BadRequestException({
      code: ErrorCodes.REQUEST_INVALID,
      message: `${name} must be an ISO 8601 date or time.`,
    });
  }
  return d;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly access: AccessAuditor,
  ) {}

  @Get('events')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Audit events, filtered, oldest first, cursor-paginated; format=jsonl or csv exports the page',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'jsonl', 'csv'] })
  async events(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Query('council') council?: string,
    @Query('domain') domain?: string,
    @Query('stage') stage?: string,
    @Query('code') code?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
    @Query('format') format = 'json',
  ): Promise<AuditEventPage | string> {
    if (cursor) {
      try {
        decodeCursor(cursor);
      } catch {
        throw new BadRequestException({
          code: ErrorCodes.REQUEST_INVALID,
          message: 'cursor is not one this API issued.',
        });
      }
    }
    if (limit !== undefined && !/^\d{1,4}$/.test(limit)) {
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'limit must be a whole number from 1 to 1000.',
      });
    }
    await this.access.record(principal, 'audit-events', {
      council: council ?? null,
      domain: domain ?? null,
      stage: stage ?? null,
    });
    const page = await listAuditEvents(this.pool, {
      council,
      domain,
      stage,
      code,
      from: parseDate('from', from),
      to: parseDate('to', to),
      cursor,
      limit: limit ? Number(limit) : undefined,
    });
    if (format === 'jsonl') {
      res.type('application/x-ndjson');
      if (page.nextCursor) res.setHeader('X-Next-Cursor', page.nextCursor);
      return page.events.map((e) => JSON.stringify(e)).join('\n') + (page.events.length ? '\n' : '');
    }
    if (format === 'csv') {
      res.type('text/csv');
      if (page.nextCursor) res.setHeader('X-Next-Cursor', page.nextCursor);
      return toCsv(page.events);
    }
    return page;
  }

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Verify the hash chain over a time range (or one chain); names the first broken event',
  })
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('chain') chain?: string,
  ): Promise<VerifyReport> {
    if (chain !== undefined && !/^\d+$/.test(chain)) {
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'chain must be a partition number.',
      });
    }
    await this.access.record(principal, 'audit-verify', {
      from: from ?? null,
      to: to ?? null,
      chain: chain ?? null,
    });
    return verifyAuditLog(this.pool, {
      from: parseDate('from', from),
      to: parseDate('to', to),
      chain: chain ? Number(chain) : undefined,
    });
  }
}
