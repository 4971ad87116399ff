// The database handle and its error helpers. The Prisma client is not exported: apps read through
// `@vfx/database/views`, write through `@vfx/database/commands`, and the worker runs `@vfx/database/jobs`.
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  pingDatabase,
  type Queryable,
  type Transaction,
} from './client.js';
export { type LoggableError, loggableError, loggableErrorLine } from './error-log.js';
export {
  isRetriableError,
  isUniqueViolation,
  sqlState,
  withRetries,
} from './errors.js';
export {
  RecordError,
  type RecordErrorCode,
} from './records/errors.js';
