/** Injection tokens. Every constructor parameter names its token: the worker runs under tsx,
 * which emits no decorator metadata, so Nest could not infer them (a test checks each one). */
export const CONFIG = Symbol('WorkerConfig');
export const DATABASE = Symbol('Database');
export const LOGGER = Symbol('Logger');
export const MAILER = Symbol('Mailer');
export const PATIENT_SENDER = Symbol('PatientMessageSender');
export const METRICS = Symbol('Metrics');
export const CLOCK = Symbol('Clock');

/** The current time; tests may pass their own. */
export type Clock = () => Date;
