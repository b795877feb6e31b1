import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { DeadLetterPage, decodeDeadLetterCursor, listDeadLetters } from '@hub/audit';
import { ErrorCodes, isDomain } from '@hub/platform';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal, councilScope } from '../auth/principal';
import { PG_POOL } from '../console.tokens';
import { ReplayDeadLettersUseCase, ReplayReport } from './replay-dead-letters.use-case';
import { Parsed, parseOptionalDate, parseReplayRequest } from './replay-request.parser';

function valueOf<T>(parsed: Parsed<T>): T {
  if (!parsed.ok)
    throw new BadRequestException({ code: ErrorCodes.REQUEST_INVALID, message: parsed.message });
  return parsed.value;
}

@ApiTags('dlq')
@ApiBearerAuth()
@Controller('api/dlq')
export class DlqController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(ReplayDeadLettersUseCase) private readonly replay: ReplayDeadLettersUseCase,
  ) {}

  @Get()
  @Roles('ops', 'council')
  @ApiOperation({
    summary:
      'Dead letters (rejections), newest first, filtered and cursor-paginated; codes and reasons, never payloads',
  })
  @ApiQuery({ name: 'state', required: false, enum: ['pending', 'replayed'] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('council') council?: string,
    @Query('domain') domain?: string,
    @Query('code') code?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('state') state?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ): Promise<DeadLetterPage> {
    const scope = councilScope(principal);
    if (scope !== undefined && council && council !== scope) {
      throw new ForbiddenException({
        code: ErrorCodes.AUTH_FORBIDDEN,
        message: "A council token sees only its own council's dead letters.",
      });
    }
    if (domain && !isDomain(domain))
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'domain must be hr, finance, crm or waste.',
      });
    if (state && state !== 'pending' && state !== 'replayed') {
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'state must be pending or replayed.',
      });
    }
    if (limit !== undefined && !/^\d{1,4}$/.test(limit)) {
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'limit must be a whole number from 1 to 1000.',
      });
    }
    if (cursor) {
      try {
        decodeDeadLetterCursor(cursor);
      } catch {
        throw new BadRequestException({
          code: ErrorCodes.REQUEST_INVALID,
          message: 'cursor is not one this API issued.',
        });
      }
    }
    return listDeadLetters(this.pool, {
      council: scope ?? (council || undefined),
      domain: domain || undefined,
      code: code || undefined,
      from: valueOf(parseOptionalDate('from', from)),
      to: valueOf(parseOptionalDate('to', to)),
      state: state === 'pending' || state === 'replayed' ? state : undefined,
      cursor: cursor || undefined,
      limit: limit ? Number(limit) : undefined,
    });
  }

  @Post('replay')
  @HttpCode(200)
  @Roles('ops', 'council')
  @ApiOperation({
    summary:
      'Replay dead letters by ids or by filter: the original record goes back to its council topic with hub_replay_of; each dead letter is replayed at most once',
  })
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          required: ['ids'],
          properties: { ids: { type: 'array', items: { type: 'string' }, maxItems: 500 } },
        },
        {
          type: 'object',
          required: ['filter'],
          properties: {
            filter: {
              type: 'object',
              properties: {
                council: { type: 'string' },
                domain: { type: 'string' },
                code: { type: 'string' },
                from: { type: 'string', format: 'date-time' },
                to: { type: 'string', format: 'date-time' },
              },
            },
          },
        },
      ],
    },
  })
  async replayDeadLetters(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<ReplayReport> {
    const selection = valueOf(parseReplayRequest(body));
    try {
      return await this.replay.execute(principal, selection);
    } catch (error) {
      const kafka = error instanceof Error && error.name.startsWith('KafkaJS');
      throw new ServiceUnavailableException({
        code: kafka ? ErrorCodes.INFRA_KAFKA : ErrorCodes.INFRA_DATABASE,
        message: `The replay did not complete (${kafka ? 'Kafka' : 'database'} trouble). Check GET /api/dlq?state=pending before trying again; a dead letter that did go out is skipped on the next try.`,
      });
    }
  }
}
