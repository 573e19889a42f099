import type { FastifyInstance } from 'fastify';

import type { HomeService } from '../home-service.js';
import { healthSchema } from '../schemas.js';
import { isoOrNull } from './parameters.js';

/** One source as `/health` shows it; `up` feeds the `tandem_source_up` metric. */
export interface SourceHealth extends Record<string, unknown> {
  name: string;
  state: string;
  up: boolean;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  service: HomeService,
  version: string,
  sources: () => readonly SourceHealth[],
): void {
  const startedAt = performance.now();
  app.get(
    '/health',
    {
      schema: {
        summary: "The server's state and each source's",
        tags: ['service'],
        response: { 200: healthSchema },
      },
    },
    () => {
      const status = service.status;
      const snapshot = status.runs > 0 ? service.snapshot : undefined;
      const listed = sources();
      return {
        status: listed.every((source) => source.up) ? 'ok' : 'degraded',
        version,
        uptime_s: Math.round((performance.now() - startedAt) / 1000),
        analysis: {
          state: status.state,
          analyzed_at: status.runs > 0 ? isoOrNull(status.analyzedAt) : null,
          duration_ms: Math.round(status.durationMs),
          runs: status.runs,
          entities: snapshot?.report.entities.length ?? 0,
          correlations: snapshot?.report.correlations.length ?? 0,
          suggestions: snapshot?.report.suggestions.length ?? 0,
          last_error: status.lastError,
          time_zone: snapshot?.timeZone ?? null,
          window: snapshot === undefined ? null : windowJson(snapshot.window),
        },
        events_ingested: service.eventsIngested,
        sources: listed,
      };
    },
  );
}

/** The analysed history's span, so that a client can tell where what tandem knows ends. */
function windowJson(window: { start: number; end: number }) {
  return { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
}
