import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCodes } from '../errors/error-codes';
import { HubError } from '../errors/hub.error';
import { HUB_LOGGER } from './readiness';

const STATUS_CODES: Record<number, string> = {
  400: ErrorCodes.REQUEST_INVALID,
  401: ErrorCodes.AUTH_UNAUTHENTICATED,
  403: ErrorCodes.AUTH_FORBIDDEN,
  404: ErrorCodes.NOT_FOUND,
};

/** HTTP status for the hub error codes that are not plain bad requests. */
const HUB_ERROR_STATUS: Record<string, number> = {
  [ErrorCodes.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCodes.AUTH_UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCodes.AUTH_FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCodes.SIZE_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
};

/** Every HTTP error is JSON `{ "error": { "code", "message" } }` with the right status; never a stack trace. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(HUB_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let code: string = ErrorCodes.INTERNAL;
    let message = 'Something went wrong inside the hub; the error has been logged.';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      const bodyCode =
        typeof body === 'object' && body !== null && 'code' in body ? String(body.code) : undefined;
      code =
        bodyCode ??
        STATUS_CODES[status] ??
        (status >= 500 ? ErrorCodes.INTERNAL : ErrorCodes.REQUEST_INVALID);
      const raw =
        typeof body === 'object' && body !== null && 'message' in body ? body.message : exception.message;
      message = Array.isArray(raw) ? raw.join('; ') : String(raw);
    } else if (exception instanceof HubError) {
      status = exception.retriable
        ? HttpStatus.SERVICE_UNAVAILABLE
        : (HUB_ERROR_STATUS[exception.code] ?? HttpStatus.BAD_REQUEST);
      code = exception.code;
      message = exception.message;
    }
    if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    response.status(status).json({ error: { code, message } });
  }
}
