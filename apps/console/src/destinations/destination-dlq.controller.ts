import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes } from '@hub/platform';
import { HttpDestination } from '@hub/routing';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { MAX_DESTINATION_REPLAY, parseDestinationReplayRequest } from './destination-dead-letter.rules';
import {
  DestinationDeadLetterList,
  DestinationReplayReport,
  ReplayDestinationDeadLettersUseCase,
} from './replay-destination-dead-letters.use-case';

/** Dead letters of one HTTP destination (`hub.dlq.destination.<id>`): list and replay. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/destinations/:id/dlq')
export class DestinationDlqController {
  private readonly logger = new Logger('DestinationDlqController');

  constructor(
    @Inject(ReplayDestinationDeadLettersUseCase)
    private readonly useCase: ReplayDestinationDeadLettersUseCase,
  ) {}

  @Get()
  @Roles('ops', 'admin')
  @ApiOperation({
    summary:
      "An HTTP destination's dead letters: delivery id, canonical id, code, reason, attempts, failed at, replay state; never payloads",
  })
  async list(@Param('id') id: string): Promise<DestinationDeadLetterList> {
    const destination = this.httpDestination(id);
    return this.guard(() => this.useCase.list(destination));
  }

  @Post('replay')
  @HttpCode(200)
  @Roles('ops', 'admin')
  @ApiOperation({
    summary:
      "Replay an HTTP destination's dead letters (by delivery ids, or every one not yet replayed) back to its delivery topic; each dead letter is replayed at most once and the SSC sees one delivery per Idempotency-Key",
  })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        deliveryIds: { type: 'array', items: { type: 'string' }, maxItems: MAX_DESTINATION_REPLAY },
      },
    },
  })
  async replay(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<DestinationReplayReport> {
    const destination = this.httpDestination(id);
    const parsed = parseDestinationReplayRequest(body);
    if (!parsed.ok)
      throw new BadRequestException({ code: ErrorCodes.REQUEST_INVALID, message: parsed.message });
    return this.guard(() => this.useCase.replay(principal, destination, parsed.deliveryIds));
  }

  private httpDestination(id: string): HttpDestination {
    const destination = this.useCase.destination(id);
    if (!destination) {
      throw new NotFoundException({
        code: ErrorCodes.NOT_FOUND,
        message: `No destination ${id} in the routing configuration (GET /api/destinations lists them).`,
      });
    }
    if (destination.kind !== 'http') {
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: `Destination ${id} is a Kafka destination: the router writes to it in its own transaction, so it has no destination DLQ to list or replay. Only HTTP destinations have one.`,
      });
    }
    return destination;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HttpException) throw error;
      this.logger.warn(
        `destination DLQ request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      const database =
        error instanceof Error &&
        'code' in error &&
        typeof error.code === 'string' &&
        /^[0-9A-Z]{5}$/.test(error.code);
      throw new ServiceUnavailableException({
        code: database ? ErrorCodes.INFRA_DATABASE : ErrorCodes.INFRA_KAFKA,
        message: `The destination DLQ could not be read or replayed (${database ? 'database' : 'Kafka'} trouble). Try again; a dead letter that did go out is skipped on the next try.`,
      });
    }
  }
}
