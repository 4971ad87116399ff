// A local GOV.UK Notify for tests (never used in production): the parts of Notify's documented
// API v2 the product uses, so the official client (notifications-node-client) is tested
// unchanged against it. It checks what Notify checks:
//   - the client's JWT: HS256 signed with the API key's secret (its last 36 characters), `iss`
//     the service id (the 36 before them), `iat` within 30 seconds of the server's clock;
//   - each body against the documented fields (unknown fields refused, as Notify's schemas do);
//     a UK mobile for text messages, a known template, every personalisation field it needs;
//     a precompiled letter's reference and base64 PDF content, postage.
// Endpoints: POST /v2/notifications/sms, /email, /letter (precompiled); GET
// /v2/notifications/{id}; GET /v2/notifications?reference=...; and the delivery receipt callback
// (POST to the service's URL with `Authorization: Bearer <token>`). It can answer 429 or 500 for
// the next N requests, fail a recipient permanently, or take a request in and never answer it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';

export interface FakeTemplate {
  readonly type: 'sms' | 'email';
  /** The ((fields)) the template uses: a request without one is refused. */
  readonly fields: readonly string[];
}

export interface FakeNotification {
  readonly id: string;
  readonly reference: string | null;
  readonly type: 'sms' | 'email' | 'letter';
  readonly to: string;
  readonly templateId: string | null;
  readonly personalisation: Record<string, string>;
  readonly postage: string | null;
  /** The decoded PDF of a precompiled letter. */
  readonly pdf: Buffer | null;
  status: string;
  readonly createdAt: string;
  sentAt: string | null;
  completedAt: string | null;
}

export interface FakeNotifyOptions {
  readonly serviceId?: string;
  readonly secret?: string;
  readonly templates: Readonly<Record<string, FakeTemplate>>;
  /** Where delivery receipts go, and the bearer token Notify sends with them. */
  readonly callback?: { readonly url: string; readonly bearerToken: string };
  /** How long after accepting a message its receipt is sent (ms). */
  readonly receiptDelayMs?: number;
  /** The server's clock (ms), for tests whose clients run at a faked instant. */
  readonly clock?: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const POSTAGE = ['first', 'second', 'economy', 'europe', 'rest-of-world'];

class NotifyHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeNotify {
  readonly serviceId: string;
  readonly secret: string;
  /** An API key in Notify's format: name, service id, secret. */
  readonly apiKey: string;
  readonly notifications: FakeNotification[] = [];
  /** Every request, with its answer: what the tests inspect. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private server: Server | undefined;
  private failures: { status: 429 | 500; left: number } | undefined;
  private holds = 0;
  private readonly permanent = new Set<string>();
  private readonly held: ServerResponse[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(private readonly options: FakeNotifyOptions) {
    this.serviceId = options.serviceId ?? randomUUID();
    this.secret = options.secret ?? randomUUID();
    this.apiKey = `test_key-${this.serviceId}-${this.secret}`;
  }

  private now(): number {
    return this.options.clock?.() ?? Date.now();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        this.answer(req, res, 500, {
          status_code: 500,
          errors: [{ error: 'Exception', message: error.message }],
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The next `count` requests are answered with `status` (429 rate limit, 500 server error). */
  failNext(count: number, status: 429 | 500): void {
    this.failures = { status, left: count };
  }

  /** The next `count` sends are stored but never answered (the sender is left waiting). */
  holdNext(count = 1): void {
    this.holds = count;
  }

  /** Messages to this recipient are accepted, then fail permanently (the receipt says so). */
  failPermanently(recipient: string): void {
    this.permanent.add(recipient);
  }

  private answer(req: IncomingMessage, res: ServerResponse, status: number, body: unknown) {
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private authorise(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!token)
      throw new NotifyHttpError(
        401,
        'AuthError',
        'Unauthorized: authentication token must be provided',
      );
    let claims: jwt.JwtPayload;
    try {
      const decoded = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        ignoreExpiration: true,
      });
      if (typeof decoded === 'string') throw new Error('not a JSON payload');
      claims = decoded;
    } catch (error) {
      throw new NotifyHttpError(
        403,
        'AuthError',
        `Invalid token: signature, api token not found (${(error as Error).message})`,
      );
    }
    if (claims.iss !== this.serviceId) {
      throw new NotifyHttpError(403, 'AuthError', 'Invalid token: service not found');
    }
    if (typeof claims.iat !== 'number' || Math.abs(this.now() / 1000 - claims.iat) > 30) {
      throw new NotifyHttpError(
        403,
        'AuthError',
        'Error: Your system clock must be accurate to within 30 seconds',
      );
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.authorise(req);
      if (this.failures && this.failures.left > 0) {
        this.failures.left -= 1;
        const { status } = this.failures;
        this.answer(req, res, status, {
          status_code: status,
          errors: [
            status === 429
              ? {
                  error: 'RateLimitError',
                  message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
                }
              : { error: 'Exception', message: 'Internal server error' },
          ],
        });
        return;
      }
      const url = new URL(req.url ?? '/', 'http://notify.local');
      if (req.method === 'POST') {
        const type = /^\/v2\/notifications\/(sms|email|letter)$/.exec(url.pathname)?.[1];
        if (!type) throw new NotifyHttpError(404, 'NotFound', 'Not found');
        const body = await readJson(req);
        const notification = this.accept(type as 'sms' | 'email' | 'letter', body);
        if (this.holds > 0) {
          // Taken in, then never answered: like a worker that dies mid-send.
          this.holds -= 1;
          this.requests.push({ method: 'POST', path: url.pathname, status: 0 });
          this.held.push(res);
          return;
        }
        this.answer(req, res, 201, this.created(notification));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v2/notifications') {
        const reference = url.searchParams.get('reference');
        const type = url.searchParams.get('template_type');
        const status = url.searchParams.get('status');
        const found = this.notifications
          .filter(
            (n) =>
              (reference === null || n.reference === reference) &&
              (type === null || n.type === type) &&
              (status === null || n.status === status),
          )
          .reverse();
        this.answer(req, res, 200, {
          notifications: found.map((n) => this.view(n)),
          links: { current: `${this.url}${url.pathname}${url.search}` },
        });
        return;
      }
      const id = /^\/v2\/notifications\/([^/]+)$/.exec(url.pathname)?.[1];
      if (req.method === 'GET' && id) {
        if (!UUID.test(id))
          throw new NotifyHttpError(400, 'ValidationError', 'notification_id is not a valid UUID');
        const found = this.notifications.find((n) => n.id === id);
        if (!found) throw new NotifyHttpError(404, 'NoResultFound', 'No result found');
        this.answer(req, res, 200, this.view(found));
        return;
      }
      throw new NotifyHttpError(404, 'NotFound', 'Not found');
    } catch (error) {
      if (error instanceof NotifyHttpError) {
        this.answer(req, res, error.status, {
          status_code: error.status,
          errors: [{ error: error.error, message: error.message }],
        });
        return;
      }
      throw error;
    }
  }

  private accept(
    type: 'sms' | 'email' | 'letter',
    body: Record<string, unknown>,
  ): FakeNotification {
    const allowed =
      type === 'sms'
        ? ['template_id', 'phone_number', 'personalisation', 'reference', 'sms_sender_id']
        : type === 'email'
          ? [
              'template_id',
              'email_address',
              'personalisation',
              'reference',
              'email_reply_to_id',
              'one_click_unsubscribe_url',
            ]
          : body.content !== undefined
            ? ['reference', 'content', 'postage']
            : ['template_id', 'personalisation', 'reference'];
    const extra = Object.keys(body).filter((k) => !allowed.includes(k));
    if (extra.length > 0) {
      throw new NotifyHttpError(
        400,
        'ValidationError',
        `Additional properties are not allowed (${extra.join(', ')} was unexpected)`,
      );
    }
    if (body.reference !== undefined && typeof body.reference !== 'string') {
      throw new NotifyHttpError(400, 'ValidationError', 'reference is not of type string');
    }
    const now = new Date(this.now()).toISOString();
    if (type === 'letter') {
      if (body.content === undefined) {
        throw new NotifyHttpError(
          400,
          'ValidationError',
          'This fake takes precompiled letters only: content is a required property',
        );
      }
      if (typeof body.reference !== 'string' || body.reference === '') {
        throw new NotifyHttpError(400, 'ValidationError', 'reference is a required property');
      }
      if (typeof body.content !== 'string')
        throw new NotifyHttpError(400, 'ValidationError', 'content is not of type string');
      const pdf = Buffer.from(body.content, 'base64');
      if (
        pdf.toString('base64') !== body.content.replace(/\s/g, '') ||
        pdf.subarray(0, 5).toString() !== '%PDF-'
      ) {
        throw new NotifyHttpError(400, 'ValidationError', 'Letter content is not a valid PDF');
      }
      if (body.postage !== undefined && !POSTAGE.includes(String(body.postage))) {
        throw new NotifyHttpError(
          400,
          'ValidationError',
          `postage invalid. It must be ${POSTAGE.join(', ')}.`,
        );
      }
      return this.store({
        type,
        reference: body.reference,
        to: 'precompiled letter',
        templateId: null,
        personalisation: {},
        postage: (body.postage as string | undefined) ?? 'second',
        pdf,
        createdAt: now,
      });
    }
    const templateId = body.template_id;
    if (typeof templateId !== 'string' || !UUID.test(templateId)) {
      throw new NotifyHttpError(400, 'ValidationError', 'template_id is not a valid UUID');
    }
    const template = this.options.templates[templateId];
    if (!template || template.type !== type) {
      throw new NotifyHttpError(400, 'BadRequestError', 'Template not found');
    }
    const personalisation = (body.personalisation ?? {}) as Record<string, string>;
    if (typeof personalisation !== 'object' || Array.isArray(personalisation)) {
      throw new NotifyHttpError(400, 'ValidationError', 'personalisation is not of type object');
    }
    const missing = template.fields.filter((f) => personalisation[f] === undefined);
    if (missing.length > 0) {
      throw new NotifyHttpError(
        400,
        'BadRequestError',
        `Missing personalisation: ${missing.join(', ')}`,
      );
    }
    let to: string;
    if (type === 'sms') {
      to = String(body.phone_number ?? '');
      if (!/^(\+44|0044|0)7\d{9}$/.test(to.replace(/[\s()-]/g, ''))) {
        throw new NotifyHttpError(400, 'ValidationError', 'phone_number Not a UK mobile number');
      }
    } else {
      to = String(body.email_address ?? '');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) {
        throw new NotifyHttpError(
          400,
          'ValidationError',
          'email_address Not a valid email address',
        );
      }
    }
    return this.store({
      type,
      reference: (body.reference as string | undefined) ?? null,
      to,
      templateId,
      personalisation,
      postage: null,
      pdf: null,
      createdAt: now,
    });
  }

  private store(
    base: Omit<FakeNotification, 'id' | 'status' | 'sentAt' | 'completedAt'>,
  ): FakeNotification {
    const notification: FakeNotification = {
      ...base,
      id: randomUUID(),
      status: 'created',
      sentAt: null,
      completedAt: null,
    };
    this.notifications.push(notification);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      notification.sentAt = new Date(this.now()).toISOString();
      notification.completedAt = new Date(this.now()).toISOString();
      notification.status = this.permanent.has(notification.to)
        ? 'permanent-failure'
        : notification.type === 'letter'
          ? 'received'
          : 'delivered';
      void this.sendReceipt(notification);
    }, this.options.receiptDelayMs ?? 50);
    this.timers.add(timer);
    return notification;
  }

  private async sendReceipt(n: FakeNotification): Promise<void> {
    const callback = this.options.callback;
    if (!callback) return;
    await fetch(callback.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${callback.bearerToken}`,
      },
      body: JSON.stringify({
        id: n.id,
        reference: n.reference,
        to: n.to,
        status: n.status,
        created_at: n.createdAt,
        completed_at: n.completedAt,
        sent_at: n.sentAt,
        notification_type: n.type,
        template_id: n.templateId,
        template_version: 1,
      }),
    }).catch(() => undefined);
  }

  private created(n: FakeNotification) {
    if (n.type === 'letter') return { id: n.id, reference: n.reference, postage: n.postage };
    const template = {
      id: n.templateId,
      version: 1,
      uri: `${this.url}/v2/template/${n.templateId}`,
    };
    const body = Object.entries(n.personalisation)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    return {
      id: n.id,
      reference: n.reference,
      content:
        n.type === 'sms'
          ? { body, from_number: 'FLS' }
          : {
              body,
              subject: 'A message from your fracture liaison service',
              from_email: 'fls@notifications.service.gov.uk',
            },
      uri: `${this.url}/v2/notifications/${n.id}`,
      template,
    };
  }

  private view(n: FakeNotification) {
    return {
      id: n.id,
      reference: n.reference,
      email_address: n.type === 'email' ? n.to : null,
      phone_number: n.type === 'sms' ? n.to : null,
      type: n.type,
      status: n.status,
      template: n.templateId
        ? { id: n.templateId, version: 1, uri: `${this.url}/v2/template/${n.templateId}` }
        : null,
      created_at: n.createdAt,
      sent_at: n.sentAt,
      completed_at: n.completedAt,
      postage: n.postage,
    };
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new NotifyHttpError(400, 'ValidationError', 'The request body is not a JSON object');
  }
}
