import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCodes, HUB_LOGGER } from '@hub/platform';
import { SscBehaviour, SscControl, parseControl } from './ssc-behaviour';
import { ReceiptsSummary, SscReceiptsStore } from './ssc-receipts.store';

const SERVICE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Log lines operators and the demo grep for. */
export const SscLogEvents = {
  RECEIVED: 'ssc received',
  REFUSED: 'ssc refused',
} as const;

/** The simulated SSC's webhook, what it received, and the switches tests and the demo flip. */
@Controller('ssc')
export class SscController {
  constructor(
    @Inject(SscReceiptsStore) private readonly store: SscReceiptsStore,
    @Inject(SscBehaviour) private readonly behaviour: SscBehaviour,
    @Inject(HUB_LOGGER) private readonly logger: Logger,
  ) {}

  /** What arrived, per service or in all. */
  @Get('received')
  received(@Query('service') service?: string): ReceiptsSummary {
    return this.store.summary(service || undefined);
  }

  /** Makes the simulator fail (503, optionally with Retry-After), slow down, or reject (4xx). */
  @Post('control')
  @HttpCode(200)
  control(@Body() body: unknown): { control: SscControl } {
    const parsed = parseControl(body);
    if (!parsed.ok)
      throw new BadRequestException({ code: ErrorCodes.REQUEST_INVALID, message: parsed.message });
    this.behaviour.set(parsed.value);
    this.logger.info({ control: parsed.value }, 'ssc behaviour changed');
    return { control: parsed.value };
  }

  /** Forgets everything received and goes back to answering `ok`. */
  @Post('reset')
  @HttpCode(200)
  reset(): { reset: true } {
    this.store.reset();
    this.behaviour.reset();
    return { reset: true };
  }

  /** The webhook: one canonical record per request, de-duplicated by Idempotency-Key. */
  @Post(':service')
  @HttpCode(200)
  async receive(
    @Param('service') service: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object> {
    if (!SERVICE.test(service))
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'The service name must be lower-case letters, digits and dashes.',
      });
    if (!idempotencyKey)
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'The Idempotency-Key header is required.',
      });
    const answer = this.behaviour.answer(service);
    if (answer.kind !== 'accept') {
      this.store.refuse(service);
      this.logger.info({ service, idempotencyKey, status: answer.status }, SscLogEvents.REFUSED);
      res.status(answer.status);
      if (answer.kind === 'fail' && answer.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(answer.retryAfterSeconds));
      return {
        error: {
          code: answer.kind === 'fail' ? 'SSC.UNAVAILABLE' : 'SSC.REJECTED',
          message: `The simulator was told to ${answer.kind}.`,
        },
      };
    }
    if (answer.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const canonicalId = typeof record.id === 'string' ? record.id : null;
    const revision = typeof record.revision === 'string' ? record.revision : null;
    const { arrival, duplicate } = this.store.accept(service, idempotencyKey, canonicalId, revision);
    // Identifiers only: the record's content may be personal data.
    this.logger.info(
      { service, canonicalId, idempotencyKey, seq: arrival.seq, duplicate },
      SscLogEvents.RECEIVED,
    );
    return { status: duplicate ? 'duplicate' : 'accepted', seq: arrival.seq };
  }
}
