// The worker process: `npm start` in apps/worker (or the root run command).
import { ConfigError, loadWorkerConfig } from './config/env.js';
import { createLogger } from './logger.js';
import { startWorker } from './worker-app.js';

let config: ReturnType<typeof loadWorkerConfig>;
try {
  config = loadWorkerConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config.LOG_LEVEL);
try {
  const worker = await startWorker(config, { logger });
  // Ctrl-C reaches this process twice when it runs under tsx (the terminal's signal, and tsx
  // passing it on), so a repeat within two seconds is the same request. A later one forces exit.
  let firstSignalAt: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < 2_000) return;
      logger.warn({ signal }, 'second signal: exiting without waiting for running jobs');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    logger.info({ signal }, 'shutting down: finishing running jobs');
    worker.close().then(
      () => {
        logger.info('worker stopped');
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    logger.fatal(
      `Port ${config.PORT} on ${config.HOST} is already in use: set PORT to a free port (or stop the other process).`,
    );
  } else {
    logger.fatal({ err }, 'the worker could not start');
  }
  process.exit(1);
}
