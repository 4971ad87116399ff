// Next.js logs whatever a page, server action or route handler throws with console.error, the
// error's whole message included; a database error's message can quote patient data. The
// dashboard's instrumentation (src/instrumentation.ts) passes console.error through this guard
// once at start-up, so every error object logged anywhere in the server is written as its class,
// codes and stack frames (loggableErrorLine), never its message.
import { loggableErrorLine } from '@vfx/database';

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as Error).message === 'string' &&
      typeof (value as Error).stack === 'string')
  );
}

/** The arguments of a console call, with every error replaced by its loggable description. */
export function withoutErrorMessages(args: readonly unknown[]): unknown[] {
  return args.map((arg) => {
    if (!isErrorLike(arg)) return arg;
    const digest = (arg as { digest?: unknown }).digest;
    // Next's digest ties the log line to the error page the user saw.
    return `${loggableErrorLine(arg)}${typeof digest === 'string' ? `\n    digest: ${digest}` : ''}`;
  });
}

const GUARDED = Symbol.for('vfx.consoleErrorGuarded');

/** Makes console.error and console.warn write errors without their messages (once). */
export function guardConsoleErrors(target: Console = console): void {
  const marked = target as Console & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  marked[GUARDED] = true;
  for (const method of ['error', 'warn'] as const) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]) => original(...withoutErrorMessages(args));
  }
}
