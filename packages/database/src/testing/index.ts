export { failDeliveryAttempt } from './deliveries.js';
export { admittedTestEnrolment, type TestEnrolmentOptions, testEnrolment } from './enrolment.js';
export {
  createTestDatabase,
  ensureTemplateDatabase,
  openTestDatabase,
  TEST_POSTGRES_URL,
  type TestDatabase,
} from './test-database.js';
export { createUsers } from './users.js';
