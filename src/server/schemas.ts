/**
 * JSON schemas of the API's inputs and outputs. Fastify validates inputs against them and
 * serializes outputs through them, and `/api/openapi.json` is generated from them. Objects
 * carried over from the analysis report (docs/json-output.md) name their main fields here and
 * let the rest through, so that a field added to the report reaches the API too.
 */

const isoTime = { type: 'string', format: 'date-time' } as const;
const nullableIsoTime = { type: ['string', 'null'], format: 'date-time' } as const;
const entityEnd = {
  type: 'object',
  properties: { entity_id: { type: 'string' }, state: { type: 'string' } },
  required: ['entity_id', 'state'],
} as const;

export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

export const presenceAnswerSchema = {
  type: 'object',
  properties: {
    at: isoTime,
    state: { type: 'string', enum: ['home', 'away', 'unknown'] },
    work_from_home: { type: 'boolean' },
    confidence: { type: 'number' },
    source: { type: 'string' },
    reason: { type: 'string' },
    stale: { type: 'boolean' },
    since: nullableIsoTime,
    until: nullableIsoTime,
  },
  required: ['at', 'state', 'work_from_home', 'confidence', 'source', 'reason', 'stale'],
} as const;

const presenceChangeSchema = {
  type: ['object', 'null'],
  properties: { at: isoTime, confidence: { type: 'number' }, reason: { type: 'string' } },
} as const;

export const presencePredictionSchema = {
  type: 'object',
  properties: {
    at: isoTime,
    hours: { type: 'number' },
    next_departure: presenceChangeSchema,
    next_arrival: presenceChangeSchema,
    will_be_home: {
      type: 'object',
      properties: {
        value: { type: ['boolean', 'null'] },
        confidence: { type: 'number' },
        reason: { type: 'string' },
      },
    },
  },
  required: ['at', 'hours', 'next_departure', 'next_arrival', 'will_be_home'],
} as const;

export const presenceIntervalsSchema = {
  type: 'object',
  properties: {
    from: isoTime,
    to: isoTime,
    intervals: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          start: isoTime,
          end: isoTime,
          state: { type: 'string' },
          work_from_home: { type: 'boolean' },
          confidence: { type: 'number' },
          source: { type: 'string' },
          reason: { type: 'string' },
          stale: { type: 'boolean' },
        },
      },
    },
  },
  required: ['from', 'to', 'intervals'],
} as const;

/** One relation as `tandem analyze --json` lists it. */
const correlationSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    kind: { type: 'string', enum: ['sequential', 'co_activity'] },
    a: entityEnd,
    b: entityEnd,
    score: { type: 'number' },
    confidence: { type: 'number' },
    support: { type: 'number' },
    structural_group: { type: ['string', 'null'] },
    echo_of: { type: ['object', 'null'], properties: { a: entityEnd, b: entityEnd } },
  },
  required: ['kind', 'a', 'b', 'score', 'confidence', 'support'],
} as const;

/** The aggregates found in the history, as `groups` of `tandem analyze --json`. */
export const groupListSchema = {
  type: 'object',
  properties: {
    analyzed_at: isoTime,
    groups: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          entity_id: { type: 'string' },
          rule: { type: 'string', enum: ['any', 'all'] },
          members: { type: 'array', items: { type: 'string' } },
          evidence: { type: 'object', additionalProperties: true },
        },
        required: ['entity_id', 'rule', 'members', 'evidence'],
      },
    },
  },
  required: ['analyzed_at', 'groups'],
} as const;

export const entityListSchema = {
  type: 'object',
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          entity_id: { type: 'string' },
          name: { type: 'string' },
          domain: { type: 'string' },
          area: { type: ['string', 'null'] },
        },
        required: ['entity_id', 'name', 'domain', 'area'],
      },
    },
  },
  required: ['entities'],
} as const;

export const correlationListSchema = {
  type: 'object',
  properties: {
    analyzed_at: isoTime,
    count: { type: 'integer' },
    correlations: { type: 'array', items: correlationSchema },
  },
  required: ['analyzed_at', 'count', 'correlations'],
} as const;

const insightSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    key: { type: 'string' },
    status: { type: 'string' },
    score: { type: 'number' },
    confidence: { type: 'number' },
    summary: { type: 'string' },
  },
  required: ['key', 'status', 'score', 'confidence', 'summary'],
} as const;

const patternSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    key: { type: 'string' },
    summary: { type: 'string' },
    explanation: { type: 'string' },
  },
  required: ['key', 'summary', 'explanation'],
} as const;

export const correlationPairSchema = {
  type: 'object',
  properties: {
    a: { type: 'string' },
    b: { type: 'string' },
    correlations: { type: 'array', items: correlationSchema },
    patterns: { type: 'array', items: patternSchema },
  },
  required: ['a', 'b', 'correlations', 'patterns'],
} as const;

export const entityPresenceSchema = {
  type: 'object',
  properties: {
    entity_id: { type: 'string' },
    presence_correlation: { type: 'object', additionalProperties: true },
    patterns: { type: 'array', items: patternSchema },
  },
  required: ['entity_id', 'presence_correlation', 'patterns'],
} as const;

export const insightListSchema = {
  type: 'object',
  properties: {
    analyzed_at: isoTime,
    insights: { type: 'array', items: insightSchema },
    patterns: { type: 'array', items: patternSchema },
  },
  required: ['analyzed_at', 'insights', 'patterns'],
} as const;

const suggestionSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    explanation: { type: 'string' },
    confidence: { type: 'number' },
    entities: { type: 'array', items: { type: 'string' } },
    yaml: { type: 'string' },
  },
  required: ['id', 'title', 'explanation', 'confidence', 'entities', 'yaml'],
} as const;

export const suggestionListSchema = {
  type: 'object',
  properties: {
    analyzed_at: isoTime,
    suggestions: { type: 'array', items: suggestionSchema },
    withheld: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          verdict: { type: 'string' },
          until: nullableIsoTime,
        },
      },
    },
  },
  required: ['analyzed_at', 'suggestions', 'withheld'],
} as const;

export const feedbackBodySchema = {
  type: 'object',
  properties: {
    verdict: { type: 'string', enum: ['accept', 'reject', 'snooze'] },
    days: { type: 'integer', minimum: 1, maximum: 3650 },
  },
  required: ['verdict'],
  additionalProperties: false,
} as const;

export const feedbackResultSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    verdict: { type: 'string', enum: ['accepted', 'rejected', 'snoozed'] },
    until: nullableIsoTime,
  },
  required: ['id', 'verdict', 'until'],
} as const;

export const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    version: { type: 'string' },
    uptime_s: { type: 'number' },
    analysis: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['ready', 'analyzing', 'failed'] },
        analyzed_at: nullableIsoTime,
        duration_ms: { type: 'number' },
        runs: { type: 'integer' },
        entities: { type: 'integer' },
        correlations: { type: 'integer' },
        suggestions: { type: 'integer' },
        last_error: { type: ['string', 'null'] },
        time_zone: { type: ['string', 'null'], description: "The home's IANA time zone" },
        window: {
          type: ['object', 'null'],
          description: 'The analysed history: start inclusive, end exclusive',
          properties: { start: isoTime, end: isoTime },
          required: ['start', 'end'],
        },
      },
    },
    events_ingested: { type: 'integer' },
    sources: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          name: { type: 'string' },
          state: { type: 'string' },
        },
        required: ['name', 'state'],
      },
    },
  },
  required: ['status', 'version', 'uptime_s', 'analysis', 'events_ingested', 'sources'],
} as const;

export const entityIdParam = {
  type: 'string',
  pattern: '^[a-z0-9_]+\\.[a-z0-9_]+$',
  maxLength: 255,
} as const;
