import type { FastifyInstance } from 'fastify';

import { TandemError } from '../../errors.js';
import { toYaml } from '../../insight/index.js';
import type { Verdict } from '../../store/index.js';
import type { AnswerCache } from '../answer-cache.js';
import type { HomeService } from '../home-service.js';
import {
  correlationListSchema,
  correlationPairSchema,
  entityIdParam,
  entityListSchema,
  errorSchema,
  feedbackBodySchema,
  feedbackResultSchema,
  groupListSchema,
  insightListSchema,
  suggestionListSchema,
} from '../schemas.js';
import { isoOrNull } from './parameters.js';

const VERDICTS: Readonly<Record<'accept' | 'reject' | 'snooze', Verdict>> = {
  accept: 'accepted',
  reject: 'rejected',
  snooze: 'snoozed',
};

const YAML_TYPE = 'application/yaml';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The analysis' findings: relations, insights, suggestions and the feedback on them. */
export function registerAnalysisRoutes(
  app: FastifyInstance,
  service: HomeService,
  answers: AnswerCache,
): void {
  registerEntityList(app, service);
  registerCorrelationList(app, service, answers);
  registerCorrelationPair(app, service);
  registerGroupList(app, service);
  registerInsightList(app, service, answers);
  registerSuggestionList(app, service);
  registerFeedback(app, service);
}

function registerEntityList(app: FastifyInstance, service: HomeService): void {
  app.get(
    '/api/entities',
    {
      schema: {
        summary: 'The analysed entities: names, areas, device classes and how often they changed',
        tags: ['entities'],
        response: { 200: entityListSchema },
      },
    },
    () => ({ entities: service.report.entities }),
  );
}

function registerCorrelationList(
  app: FastifyInstance,
  service: HomeService,
  answers: AnswerCache,
): void {
  app.get<{
    Querystring: { min_confidence: number; entity_id?: string; standalone: boolean; limit: number };
  }>(
    '/api/correlations',
    {
      schema: {
        summary: 'Relations between devices, by confidence',
        tags: ['correlations'],
        querystring: {
          type: 'object',
          properties: {
            min_confidence: { type: 'number', minimum: 0, maximum: 1, default: 0 },
            entity_id: entityIdParam,
            standalone: {
              type: 'boolean',
              default: false,
              description: "only relations that are neither a group's structure nor an echo",
            },
            limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
          },
          additionalProperties: false,
        },
        response: { 200: correlationListSchema, 400: errorSchema },
      },
    },
    (request, reply) => {
      const {
        min_confidence: minConfidence,
        entity_id: entityId,
        standalone,
        limit,
      } = request.query;
      const report = service.report;
      const key = `correlations ${minConfidence} ${entityId ?? ''} ${standalone} ${limit}`;
      const json = answers.answer(report, key, () => {
        const matching = report.correlations.filter(
          (relation) =>
            relation.confidence >= minConfidence &&
            (entityId === undefined ||
              relation.a.entity_id === entityId ||
              relation.b.entity_id === entityId) &&
            (!standalone || (relation.structural_group === null && relation.echo_of === null)),
        );
        return reply.serialize({
          analyzed_at: analyzedAt(service),
          count: matching.length,
          correlations: matching.slice(0, limit),
        });
      });
      return reply.type(JSON_TYPE).send(json);
    },
  );
}

function registerGroupList(app: FastifyInstance, service: HomeService): void {
  app.get(
    '/api/groups',
    {
      schema: {
        summary: 'Entities that are the any-of or all-of others (groups), with their members',
        tags: ['correlations'],
        response: { 200: groupListSchema },
      },
    },
    () => ({ analyzed_at: analyzedAt(service), groups: service.report.groups }),
  );
}

function registerCorrelationPair(app: FastifyInstance, service: HomeService): void {
  app.get<{ Params: { a: string; b: string } }>(
    '/api/correlations/:a/:b',
    {
      schema: {
        summary: 'The relations between two entities, either way round, with their explanation',
        tags: ['correlations'],
        params: {
          type: 'object',
          properties: { a: entityIdParam, b: entityIdParam },
          required: ['a', 'b'],
        },
        response: { 200: correlationPairSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    (request) => {
      const { a, b } = request.params;
      const report = service.report;
      const joins = (x: string, y: string) => (x === a && y === b) || (x === b && y === a);
      const correlations = report.correlations.filter((relation) =>
        joins(relation.a.entity_id, relation.b.entity_id),
      );
      if (correlations.length === 0) {
        const known = new Set(report.entities.map((entity) => entity.entity_id));
        const unknown = [a, b].filter((entityId) => !known.has(entityId));
        throw new TandemError(
          'NOT_FOUND',
          unknown.length > 0
            ? `${unknown.join(' and ')} not in the analysed history`
            : `no relation between ${a} and ${b} passed the baseline`,
        );
      }

      const patterns = report.patterns.filter((pattern) =>
        joins(pattern.trigger.entity_id, pattern.response.entity_id),
      );
      return { a, b, correlations, patterns };
    },
  );
}

function registerInsightList(
  app: FastifyInstance,
  service: HomeService,
  answers: AnswerCache,
): void {
  app.get(
    '/api/insights',
    {
      schema: {
        summary: 'The findings ranked, each with what tandem makes of it, and their patterns',
        tags: ['insights'],
        response: { 200: insightListSchema },
      },
    },
    (_request, reply) => {
      const report = service.report;
      const json = answers.answer(report, 'insights', () =>
        reply.serialize({
          analyzed_at: analyzedAt(service),
          insights: report.insights,
          patterns: report.patterns,
        }),
      );
      return reply.type(JSON_TYPE).send(json);
    },
  );
}

function registerSuggestionList(app: FastifyInstance, service: HomeService): void {
  app.get(
    '/api/suggestions',
    {
      schema: {
        summary: 'Automations for the insights worth automating (JSON, or YAML on request)',
        description: `With \`Accept: ${YAML_TYPE}\`, one automations.yaml list.`,
        tags: ['suggestions'],
        response: {
          200: {
            content: {
              'application/json': { schema: suggestionListSchema },
              [YAML_TYPE]: { schema: { type: 'string' } },
            },
          },
        },
      },
    },
    (request, reply) => {
      const report = service.report;
      if (prefersYaml(request.headers.accept)) {
        const automations = report.suggestions.map((suggestion) => suggestion.automation);
        return reply.type(`${YAML_TYPE}; charset=utf-8`).send(toYaml(automations));
      }

      return {
        analyzed_at: analyzedAt(service),
        suggestions: report.suggestions,
        withheld: report.suggestions_withheld,
      };
    },
  );
}

function registerFeedback(app: FastifyInstance, service: HomeService): void {
  app.post<{ Params: { id: string }; Body: { verdict: keyof typeof VERDICTS; days?: number } }>(
    '/api/suggestions/:id/feedback',
    {
      schema: {
        summary: 'Accept, reject or snooze a suggestion, so that it is no longer offered',
        tags: ['suggestions'],
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: '^tandem_[0-9a-f]{6,40}$' } },
          required: ['id'],
        },
        body: feedbackBodySchema,
        response: { 200: feedbackResultSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    (request) => {
      const { verdict, days } = request.body;
      const result = service.recordFeedback(request.params.id, VERDICTS[verdict], days);
      request.log.info({ suggestion: result.id, verdict: result.verdict }, 'feedback recorded');
      return { ...result, until: result.until === null ? null : isoOrNull(result.until) };
    },
  );
}

function analyzedAt(service: HomeService): string {
  return new Date(service.snapshot.analyzedAt).toISOString();
}

/** The first of JSON and YAML the Accept header names wins; without either, JSON. */
function prefersYaml(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]?.trim() ?? '');
  const first = types.find((type) => type.endsWith('/json') || type.endsWith('yaml'));
  return first?.endsWith('yaml') === true;
}
