import type { LoggerService } from '@nestjs/common';
import { loggableError } from '@vfx/database';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Ids only: no patient name, NHS number or clinical detail is logged. An
 * error is logged as `err` (the Error itself): its class, codes, a description made from the
 * codes and its stack frames, never its message, which for a database error can quote the
 * values it failed on (pino's own serializer would keep message and stack whole).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'vfx-worker' },
    serializers: { err: loggableError, error: loggableError },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Stack frames only: the lines before them repeat the error's message. */
const framesOf = (trace: string | undefined) =>
  trace
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());

/** Routes Nest's own log lines through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    // Nest hands over what a request handler threw: the Error, or its message and stack.
    if (message instanceof Error) {
      this.logger.error({ context, err: message }, 'unhandled error');
    } else if (context === 'ExceptionsHandler') {
      this.logger.error({ context, frames: framesOf(trace) }, 'unhandled error in a request');
    } else {
      this.logger.error({ context, frames: framesOf(trace) }, String(message));
    }
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
