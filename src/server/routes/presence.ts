import type { FastifyInstance } from 'fastify';

import { TandemError } from '../../errors.js';
import type { PresenceAnswer, PresenceChange } from '../../presence/index.js';
import type { AnalysisReport } from '../../report/index.js';
import type { HomeService } from '../home-service.js';
import {
  entityIdParam,
  entityPresenceSchema,
  errorSchema,
  presenceAnswerSchema,
  presenceIntervalsSchema,
  presencePredictionSchema,
} from '../schemas.js';
import { isoOrNull, parseIsoParameter } from './parameters.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The longest span `/api/presence/intervals` lists, so one request cannot ask for years. */
const MAX_INTERVALS_SPAN_MS = 62 * DAY_MS;

export function registerPresenceRoutes(app: FastifyInstance, service: HomeService): void {
  registerPresenceNow(app, service);
  registerPresencePrediction(app, service);
  registerPresenceIntervals(app, service);
  registerEntityPresence(app, service);
}

function registerPresenceNow(app: FastifyInstance, service: HomeService): void {
  app.get<{ Querystring: { at?: string } }>(
    '/api/presence',
    {
      schema: {
        summary: 'Where the household is at a moment (default: now)',
        tags: ['presence'],
        querystring: {
          type: 'object',
          properties: { at: { type: 'string', description: 'ISO 8601 date-time' } },
          additionalProperties: false,
        },
        response: { 200: presenceAnswerSchema, 400: errorSchema },
      },
    },
    (request) => {
      const now = service.now();
      const at = parseIsoParameter('at', request.query.at) ?? now;
      return toAnswerJson(at, service.presence.presenceAt(at, now));
    },
  );
}

function registerPresencePrediction(app: FastifyInstance, service: HomeService): void {
  app.get<{ Querystring: { hours: number } }>(
    '/api/presence/predict',
    {
      schema: {
        summary: 'The next departure and arrival, and whether anyone will be home in N hours',
        tags: ['presence'],
        querystring: {
          type: 'object',
          properties: { hours: { type: 'integer', minimum: 1, maximum: 336, default: 24 } },
          additionalProperties: false,
        },
        response: { 200: presencePredictionSchema, 400: errorSchema },
      },
    },
    (request) => {
      const now = service.now();
      const { hours } = request.query;
      const prediction = service.presence.predict(now, hours * HOUR_MS, now);
      return {
        at: new Date(now).toISOString(),
        hours,
        next_departure: toChangeJson(prediction.nextDeparture),
        next_arrival: toChangeJson(prediction.nextArrival),
        will_be_home: prediction.willBeHome,
      };
    },
  );
}

function registerPresenceIntervals(app: FastifyInstance, service: HomeService): void {
  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/api/presence/intervals',
    {
      schema: {
        summary: 'The presence timeline between two moments (default: a day back, a day ahead)',
        tags: ['presence'],
        querystring: {
          type: 'object',
          properties: { from: { type: 'string' }, to: { type: 'string' } },
          additionalProperties: false,
        },
        response: { 200: presenceIntervalsSchema, 400: errorSchema },
      },
    },
    (request) => {
      const now = service.now();
      const from = parseIsoParameter('from', request.query.from) ?? now - DAY_MS;
      const to = parseIsoParameter('to', request.query.to) ?? now + DAY_MS;
      if (to <= from || to - from > MAX_INTERVALS_SPAN_MS) {
        throw new TandemError(
          'INVALID_ARGUMENT',
          `querystring/to must be after from and at most ${MAX_INTERVALS_SPAN_MS / DAY_MS} days ` +
            'later',
        );
      }

      const intervals = service.presence.intervals(from, to, now).map((interval) => ({
        start: new Date(interval.start).toISOString(),
        end: new Date(interval.end).toISOString(),
        state: interval.state,
        work_from_home: interval.workFromHome,
        confidence: interval.confidence,
        source: interval.source,
        reason: interval.reason,
        stale: interval.stale,
      }));
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), intervals };
    },
  );
}

function registerEntityPresence(app: FastifyInstance, service: HomeService): void {
  app.get<{ Params: { entity_id: string } }>(
    '/api/entities/:entity_id/presence',
    {
      schema: {
        summary: "One entity's presence-aware analysis: is it driven by being home, away, ...",
        tags: ['presence'],
        params: {
          type: 'object',
          properties: { entity_id: entityIdParam },
          required: ['entity_id'],
        },
        response: { 200: entityPresenceSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    (request) => {
      const entityId = request.params.entity_id;
      const report = service.report;
      const analysed = report.presence_correlations.find((item) => item.entity_id === entityId);
      if (analysed === undefined) {
        throw new TandemError('NOT_FOUND', whyNotAnalysed(report, entityId));
      }

      const patterns = report.patterns.filter(
        (pattern) => pattern.source === 'presence' && pattern.response.entity_id === entityId,
      );
      return { entity_id: entityId, presence_correlation: analysed, patterns };
    },
  );
}

function whyNotAnalysed(report: AnalysisReport, entityId: string): string {
  const group = report.groups.find((candidate) => candidate.entity_id === entityId);
  if (group !== undefined) {
    const members = group.members.join(', ');
    return `${entityId} is ${group.rule} of ${members}; their analysis stands for it`;
  }

  return report.entities.some((entity) => entity.entity_id === entityId)
    ? `${entityId} has no on/off meaning, or is presence itself, so presence cannot drive it`
    : `${entityId} is not in the analysed history`;
}

function toAnswerJson(at: number, answer: PresenceAnswer) {
  return {
    at: new Date(at).toISOString(),
    state: answer.state,
    work_from_home: answer.workFromHome,
    confidence: answer.confidence,
    source: answer.source,
    reason: answer.reason,
    stale: answer.stale,
    since: isoOrNull(answer.since),
    until: isoOrNull(answer.until),
  };
}

function toChangeJson(change: PresenceChange | null) {
  return change === null
    ? null
    : {
        at: new Date(change.at).toISOString(),
        confidence: change.confidence,
        reason: change.reason,
      };
}
