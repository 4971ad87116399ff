// Runs once when the dashboard's server starts (Next.js instrumentation).
export async function register(): Promise<void> {
  // Errors are logged without their messages, which can quote patient data (see
  // server/error-log.ts); a developer's own server keeps them whole.
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NODE_ENV !== 'development') {
    const { guardConsoleErrors } = await import('./server/error-log');
    guardConsoleErrors();
  }
}
