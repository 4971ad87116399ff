import { createPostgresBackend, type QueueOptions } from 'bullmq';
import type { WorkerConfig } from '../config/env.js';

/**
 * Where BullMQ keeps its jobs. Redis (REDIS_URL) is the production default; without it, BullMQ's
 * PostgreSQL backend keeps them in the service's own database, in schema `<QUEUE_PREFIX>_queue`.
 */
export function queueConnection(config: WorkerConfig): Pick<QueueOptions, 'connection' | 'prefix'> {
  if (config.REDIS_URL) {
    const url = new URL(config.REDIS_URL);
    return {
      prefix: config.QUEUE_PREFIX,
      connection: {
        host: url.hostname,
        port: url.port ? Number(url.port) : 6379,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
        ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
        // BullMQ workers block on Redis; a per-request retry limit would break them.
        maxRetriesPerRequest: null,
      },
    };
  }
  return {
    connection: {
      connectionString: config.DATABASE_URL,
      schema: `${config.QUEUE_PREFIX}_queue`,
      migrate: true,
      max: 4,
    } as unknown as QueueOptions['connection'],
  };
}

/** The backend factory for BullMQ's classes: undefined means Redis. */
export function queueBackend(config: WorkerConfig) {
  return config.REDIS_URL ? undefined : createPostgresBackend;
}
