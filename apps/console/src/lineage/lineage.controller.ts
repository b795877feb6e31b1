import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Lineage, findLineage } from '@hub/audit';
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
  @ApiOperation({ summary: 'The whole story of one record, by source event id (ce_id), canonical id, revision, delivery id or file id' })
  async lineage(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<Lineage> {
    await this.access.record(principal, 'lineage', { id });
    const lineage = await findLineage(this.pool, id, councilScope(principal));
    if (!lineage) {
      throw new NotFoundException({ code: ErrorCodes.NOT_FOUND, message: `No record with id ${id} is in the audit log (or it is not yours to see).` });
    }
    return lineage;
  }
}
