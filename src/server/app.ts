import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { LogController } from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';

import { isTandemError, TandemError } from '../errors.js';
import { AnswerCache } from './answer-cache.js';
import type { HomeService } from './home-service.js';
import { ServerMetrics } from './metrics.js';
import type { MetricsCache } from './metrics.js';
import { registerAnalysisRoutes } from './routes/analysis.js';
import { registerHealthRoutes } from './routes/health.js';
import type { SourceHealth } from './routes/health.js';
import { registerPresenceRoutes } from './routes/presence.js';

export interface AppOptions {
  service: HomeService;
  /** A pino logger; requests log through its children. */
  logger: FastifyBaseLogger;
  /** Required on every `/api` and `/metrics` request when set, as `Authorization: Bearer`. */
  apiToken?: string;
  /** Requests per client per minute; loopback clients (this box itself) are not limited. */
  rateLimitPerMinute?: number;
  /** Extra sources for `/health` and `/metrics`, e.g. the calendars. */
  sources?: () => readonly SourceHealth[];
  /** Extra caches for `/metrics`, e.g. the calendars'. */
  caches?: () => readonly MetricsCache[];
  version: string;
}

/** The largest request body taken: feedback is a few dozen bytes. */
const BODY_LIMIT_BYTES = 16 * 1024;
const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));
const PUBLIC_PATHS = new Set(['/health']);

/**
 * The HTTP API over one home, with its schemas, OpenAPI document, metrics and dashboard. Every
 * expected error becomes `{ "error": { "code", "message" } }` with its status; anything else is
 * logged with its stack and answered as a plain 500, so no internal detail leaves the server.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { service } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new QuietRequests(),
    ajv: { customOptions: { removeAdditional: false } },
  });
  const sources = () => [...serviceSources(service), ...(options.sources?.() ?? [])];
  const answers = new AnswerCache();
  const metrics = new ServerMetrics({
    caches: () => [
      { name: 'presence_queries', stats: () => service.presence.stats() },
      { name: 'report_answers', stats: () => answers.stats() },
      ...(options.caches?.() ?? []),
    ],
    sourcesUp: () => sources().map((source) => ({ name: source.name, up: source.up })),
    eventsIngested: () => service.eventsIngested,
    analysis: () => service.status,
  });

  answerErrorsAsJson(app);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  if (options.apiToken !== undefined) {
    requireBearerToken(app, options.apiToken);
  }

  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    allowList: (request) => isLoopback(request.ip),
    errorResponseBuilder: (_request, context) =>
      new TandemError('RATE_LIMITED', `too many requests; retry in ${context.after}`),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'tandem', version: options.version },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      ...(options.apiToken === undefined ? {} : { security: [{ bearer: [] }] }),
    },
  });

  registerHealthRoutes(app, service, options.version, sources);
  registerPresenceRoutes(app, service);
  registerAnalysisRoutes(app, service, answers);
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(metrics.contentType).send(await metrics.text());
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await registerDashboard(app);
  return app;
}

/**
 * A line per request is noise on a box answering a dashboard every few seconds: requests log
 * at `debug`, errors still at `error` through the error handler.
 */
class QuietRequests extends LogController {
  override incomingRequest(): void {
    // The completed line says all a reader needs.
  }

  // Fastify passes `undefined`, not the `null` its types promise, when a request succeeded.
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    request.log.debug(
      { status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      `${request.method} ${request.routeOptions.url ?? request.url}`,
    );
    if (error !== null && error !== undefined) {
      request.log.error({ err: error }, 'response failed');
    }
  }
}

/** Every error as `{ "error": { "code", "message" } }`; only server faults are logged. */
function answerErrorsAsJson(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, code, message } = describeError(error);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }

    void reply.status(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` },
    });
  });
}

/** The API and the metrics need the token; `/health` and the dashboard's files stay open. */
function requireBearerToken(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', (request, _reply, done) => {
    const guarded = request.url.startsWith('/api/') || request.url.startsWith('/metrics');
    if (guarded && !PUBLIC_PATHS.has(request.url) && !hasToken(request, expected)) {
      done(new TandemError('UNAUTHORIZED', 'missing or wrong bearer token'));
      return;
    }

    done();
  });
}

async function registerDashboard(app: FastifyInstance): Promise<void> {
  if (!existsSync(DASHBOARD_DIR)) {
    app.log.warn({ folder: DASHBOARD_DIR }, 'dashboard files missing; serving the API only');
    return;
  }

  await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/' });
  await app.register(fastifyStatic, {
    root: UPLOT_DIR,
    prefix: '/vendor/uplot/',
    decorateReply: false,
  });
}

function serviceSources(service: HomeService): SourceHealth[] {
  const status = service.status;
  const home: SourceHealth = {
    name: 'home',
    state: status.state,
    up: status.state !== 'failed',
    ...(status.lastError === null ? {} : { error: status.lastError }),
  };
  const live = service.live?.status();
  return live === undefined
    ? [home]
    : [home, { ...live, name: 'home_assistant', up: live.state === 'connected' }];
}

function describeError(error: FastifyError): { status: number; code: string; message: string } {
  if (isTandemError(error)) {
    return { status: error.httpStatus, code: error.code, message: error.message };
  }

  if (error.validation !== undefined) {
    return { status: 400, code: 'INVALID_ARGUMENT', message: error.message };
  }

  const status = error.statusCode ?? 500;
  if (status < 500) {
    // Fastify's own client errors: a body too large, malformed JSON, a wrong content type.
    return { status, code: error.code, message: error.message };
  }

  return { status: 500, code: 'INTERNAL', message: 'internal error; see the server log' };
}

/** Compared as digests, in constant time, so the comparison leaks neither length nor prefix. */
function hasToken(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}
