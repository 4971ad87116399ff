// Signing in, sessions, API keys and the roles they carry.
export {
  API_KEY_PREFIX,
  API_KEY_ROLES,
  API_KEY_TOUCH_EVERY_MS,
  type ApiKeyPrincipal,
  authenticateApiKey,
} from './auth/api-keys.js';
export { clientAddress } from './auth/client-address.js';
export {
  hashPassword,
  verifyPassword,
} from './auth/password.js';
export { PASSWORD_POLICY, passwordProblem } from './auth/password-policy.js';
export {
  authenticateQueueBoard,
  openQueueBoard,
  QUEUE_BOARD_SESSION_MS,
  QUEUE_BOARD_TICKET_MS,
  type QueueBoardAccess,
  type QueueBoardOptions,
} from './auth/queue-board.js';
export {
  authenticate,
  DEFAULT_SESSION_POLICY,
  revokeSessionsOf,
  type SessionPolicy,
  type SessionUser,
  type SignInInput,
  type SignInResult,
  signIn,
  signOut,
} from './auth/sessions.js';
export type { Role } from './generated/prisma/enums.js';
export { CASELOAD_ROLES } from './records/caseload-holder.js';
