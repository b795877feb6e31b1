import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { Lineage, findLineage } from '@hub/audit';
import { toCsv } from '../audit/audit-export';
import { ErrorCodes } from '@hub/platform';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal, councilScope } from '../auth/principal';
import { AccessAuditor } from '../audit/access-auditor';
import { PG_POOL } from '../console.tokens';

@ApiTags('lineage')
@ApiBearerAuth()
@Controller('api/lineage')
export class LineageController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly access: AccessAuditor,
  ) {}

  @Get(':id')
  @Roles('auditor', 'council')
  @ApiOperation({
    summary:
      'The whole story of one record, by source event id (ce_id), canonical id, revision, delivery id or file id; format=jsonl or csv exports its events',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'jsonl', 'csv'] })
  async lineage(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Query('format') format = 'json',
  ): Promise<Lineage | string> {
    await this.access.record(principal, 'lineage', { id });
    const lineage = await findLineage(this.pool, id, councilScope(principal));
    if (!lineage) {
      throw new NotFoundException({
        code: ErrorCodes.NOT_FOUND,
        message: `No record with id ${id} is in the audit log (or it is not yours to see).`,
      });
    }
    if (format === 'jsonl' || format === 'csv') {
      const events = lineage.sources.flatMap((source) => source.events);
      res.type(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
      return format === 'csv' ? toCsv(events) : events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    }
    return lineage;
  }
}
