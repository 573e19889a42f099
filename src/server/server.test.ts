import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

import { FakeHomeAssistant } from '../../test/fake-home-assistant.js';
import { serveSimulatedHome } from '../../test/serve-options.js';
import { loadSimulatedHome } from '../../test/simulated-home.js';
import type { SimulatedHome } from '../../test/simulated-home.js';
import { startServer } from './start-server.js';
import type { RunningServer, ServeOptions } from './start-server.js';

const TOKEN = 'correct-horse-battery-staple';
const DAY_MS = 86_400_000;

interface ErrorBody {
  error: { code: string; message: string };
}

/** Every line the server logged, to check what it says and what it must never say. */
class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString());
    done();
  }
}

describe('tandem serve', () => {
  let home: SimulatedHome;
  let server: RunningServer;
  let storeDir: string;
  const logs = new LogCapture();

  function serveOptions(overrides: Partial<ServeOptions> = {}): ServeOptions {
    const now = home.history.window.end - 2 * DAY_MS;
    return serveSimulatedHome(home, storeDir, {
      apiToken: TOKEN,
      logger: pino({ level: 'debug' }, logs),
      clock: () => now,
      ...overrides,
    });
  }

  async function get(path: string, headers: Record<string, string> = {}) {
    return fetch(server.url + path, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
  }

  async function getJson<T>(path: string): Promise<T> {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  async function expectError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe(code);
    return body.error.message;
  }

  beforeAll(async () => {
    home = loadSimulatedHome({ seed: 5, days: 21 });
    storeDir = mkdtempSync(join(tmpdir(), 'tandem-store-'));
    server = await startServer(serveOptions());
  });

  afterAll(async () => {
    await server.close();
    home.remove();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('reports its health and each source without a token', async () => {
    const response = await fetch(`${server.url}/health`);
    const health = (await response.json()) as {
      status: string;
      analysis: {
        state: string;
        entities: number;
        correlations: number;
        time_zone: string;
        window: { start: string; end: string };
      };
      sources: { name: string; state: string }[];
    };

    expect(response.status).toBe(200);
    expect(health.status, JSON.stringify(health.sources)).toBe('ok');
    expect(health.analysis.state).toBe('ready');
    expect(health.analysis.entities).toBe(home.history.entities.length);
    expect(health.analysis.correlations).toBeGreaterThan(0);
    expect(health.analysis.time_zone).toBe(home.truth.time_zone);
    expect(Date.parse(health.analysis.window.end)).toBe(home.history.window.end);
    expect(health.sources.map((source) => source.name)).toEqual([
      'home',
      `calendar:ics:${join(home.dir, 'calendar.ics')}`,
    ]);
  });

  it('refuses the API without the right bearer token', async () => {
    await expectError(await fetch(`${server.url}/api/insights`), 401, 'UNAUTHORIZED');
    const wrong = await fetch(`${server.url}/api/insights`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    await expectError(wrong, 401, 'UNAUTHORIZED');
    await expectError(await fetch(`${server.url}/metrics`), 401, 'UNAUTHORIZED');
  });

  it('answers where the household is, observed from its person entities', async () => {
    const now = await getJson<{ state: string; confidence: number; source: string }>(
      '/api/presence',
    );
    expect(['home', 'away']).toContain(now.state);
    expect(now.source).toBe('person');
    expect(now.confidence).toBeGreaterThan(0.5);

    const before = new Date(home.history.window.start - 30 * DAY_MS).toISOString();
    const outside = await getJson<{ state: string }>(`/api/presence?at=${before}`);
    expect(outside.state).toBe('unknown');
  });

  it('predicts the next departure or arrival', async () => {
    const prediction = await getJson<{
      hours: number;
      next_departure: { at: string } | null;
      next_arrival: { at: string } | null;
    }>('/api/presence/predict?hours=48');

    expect(prediction.hours).toBe(48);
    expect(prediction.next_departure ?? prediction.next_arrival).not.toBeNull();
  });

  it('lists a gap-free presence timeline', async () => {
    const { intervals } = await getJson<{ intervals: { start: string; end: string }[] }>(
      '/api/presence/intervals',
    );

    expect(intervals.length).toBeGreaterThan(1);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i]!.start).toBe(intervals[i - 1]!.end);
    }
  });

  it('names the bad parameter in a 400', async () => {
    const at = await expectError(await get('/api/presence?at=yesterday'), 400, 'INVALID_ARGUMENT');
    expect(at).toContain('at');
    const hours = await get('/api/presence/predict?hours=zero');
    expect(await expectError(hours, 400, 'INVALID_ARGUMENT')).toContain('hours');
    const confidence = await get('/api/correlations?min_confidence=2');
    expect(await expectError(confidence, 400, 'INVALID_ARGUMENT')).toContain('min_confidence');
    const entity = await get('/api/entities/Not%20An%20Entity/presence');
    expect(await expectError(entity, 400, 'INVALID_ARGUMENT')).toContain('entity_id');
  });

  it('lists the analysed entities with their names', async () => {
    const { entities } = await getJson<{ entities: { entity_id: string; name: string }[] }>(
      '/api/entities',
    );

    expect(entities.map((entity) => entity.entity_id)).toEqual(
      home.history.entities.map((entity) => entity.entityId),
    );
    expect(entities.map((entity) => entity.name)).toEqual(
      home.history.entities.map((entity) => entity.name),
    );
  });

  it('filters relations by confidence and entity', async () => {
    const habit = home.truth.habits[0]!;
    const entityId = habit.response.entity_id;
    const { correlations, count } = await getJson<{
      count: number;
      correlations: { a: { entity_id: string }; b: { entity_id: string }; confidence: number }[];
    }>(`/api/correlations?min_confidence=0.5&entity_id=${entityId}`);

    expect(count).toBeGreaterThan(0);
    for (const relation of correlations) {
      expect(relation.confidence).toBeGreaterThanOrEqual(0.5);
      expect([relation.a.entity_id, relation.b.entity_id]).toContain(entityId);
    }
  });

  it('lists only the relations that stand on their own when asked, not the echoes', async () => {
    type Listed = { correlations: { echo_of: unknown; structural_group: string | null }[] };
    const all = await getJson<Listed>('/api/correlations?limit=10000');
    const standalone = await getJson<Listed>('/api/correlations?standalone=true&limit=10000');
    const echoes = all.correlations.filter((relation) => relation.echo_of !== null);

    expect(echoes.length).toBeGreaterThan(0);
    expect(standalone.correlations).toHaveLength(all.correlations.length - echoes.length);
    expect(standalone.correlations.every((relation) => relation.echo_of === null)).toBe(true);
  });

  it('answers a repeated question from its cache, with the same body', async () => {
    const hits = async () => {
      const metrics = await (await get('/metrics')).text();
      return Number(/tandem_cache_hits_total\{cache="report_answers"\} (\d+)/.exec(metrics)?.[1]);
    };
    const path = '/api/correlations?min_confidence=0.7&limit=7';
    const before = await hits();
    const first = await (await get(path)).text();
    const second = await get(path);

    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await second.text()).toBe(first);
    expect(JSON.parse(first)).toMatchObject({ count: expect.any(Number) as number });
    expect(await hits()).toBe(before + 1);
  });

  it('returns the groups found, none in a simulated home, and no structural relation', async () => {
    const { groups } = await getJson<{ groups: unknown[] }>('/api/groups');
    const { correlations } = await getJson<{
      correlations: { structural_group: string | null }[];
    }>('/api/correlations?limit=10000');

    expect(groups).toEqual([]);
    expect(correlations.length).toBeGreaterThan(0);
    expect(correlations.every((relation) => relation.structural_group === null)).toBe(true);
  });

  it('explains the relation between two entities, asked either way round', async () => {
    const habit = home.truth.habits.find((candidate) => !candidate.automated)!;
    const { trigger, response } = habit;
    const pair = await getJson<{
      correlations: unknown[];
      patterns: { explanation: string }[];
    }>(`/api/correlations/${response.entity_id}/${trigger.entity_id}`);

    expect(pair.correlations.length).toBeGreaterThan(0);
    expect(pair.patterns[0]?.explanation).toMatch(/\d/);
    const unknown = await get(`/api/correlations/light.nowhere/${trigger.entity_id}`);
    expect(await expectError(unknown, 404, 'NOT_FOUND')).toContain('light.nowhere');
  });

  it("gives an entity's presence-aware analysis", async () => {
    const driven = home.truth.presence_driven[0]!;
    const analysis = await getJson<{
      presence_correlation: { driver: string | null; presence_driven: boolean };
    }>(`/api/entities/${driven.entity_id}/presence`);

    expect(analysis.presence_correlation.presence_driven).toBe(true);
    expect(analysis.presence_correlation.driver).toBe(driven.driver);
  });

  it('lists insights, and suggestions as JSON or as automations.yaml', async () => {
    const { insights } = await getJson<{ insights: { summary: string }[] }>('/api/insights');
    expect(insights.length).toBeGreaterThan(0);

    const { suggestions } = await getJson<{ suggestions: { id: string }[] }>('/api/suggestions');
    const yamlResponse = await get('/api/suggestions', { accept: 'application/yaml' });
    expect(yamlResponse.headers.get('content-type')).toContain('application/yaml');
    const automations = parse(await yamlResponse.text()) as { id: string }[];
    expect(automations.map((automation) => automation.id)).toEqual(suggestions.map((s) => s.id));
  });

  it('withholds a suggestion once it is rejected, and refuses bad feedback', async () => {
    const { suggestions } = await getJson<{ suggestions: { id: string }[] }>('/api/suggestions');
    const id = suggestions[0]!.id;
    const post = (path: string, body: string) =>
      fetch(server.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body,
      });

    const answer = await post(`/api/suggestions/${id}/feedback`, '{"verdict":"reject"}');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ id, verdict: 'rejected', until: null });
    const after = await getJson<{ suggestions: { id: string }[]; withheld: { id: string }[] }>(
      '/api/suggestions',
    );
    expect(after.suggestions.map((suggestion) => suggestion.id)).not.toContain(id);
    expect(after.withheld.map((suggestion) => suggestion.id)).toContain(id);

    const unknown = await post(
      '/api/suggestions/tandem_000000000000/feedback',
      '{"verdict":"accept"}',
    );
    await expectError(unknown, 404, 'NOT_FOUND');
    const verdict = await post(`/api/suggestions/${id}/feedback`, '{"verdict":"maybe"}');
    expect(await expectError(verdict, 400, 'INVALID_ARGUMENT')).toContain('verdict');
    const huge = await post(`/api/suggestions/${id}/feedback`, `{"x":"${'a'.repeat(20_000)}"}`);
    expect(huge.status).toBe(413);
  });

  it('serves Prometheus metrics and an OpenAPI document', async () => {
    await get('/api/presence');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('tandem_http_request_duration_seconds_bucket');
    for (const cache of ['presence_queries', 'calendar_sources', 'calendar_queries']) {
      expect(metrics).toMatch(new RegExp(`tandem_cache_hit_ratio\\{cache="${cache}"\\} [\\d.]+`));
    }
    expect(metrics).toMatch(/tandem_source_up\{source="home"\} 1/);

    const openapi = await getJson<{ openapi: string; paths: Record<string, unknown> }>(
      '/api/openapi.json',
    );
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/api/presence',
        '/api/presence/predict',
        '/api/correlations',
        '/api/correlations/{a}/{b}',
        '/api/groups',
        '/api/entities',
        '/api/entities/{entity_id}/presence',
        '/api/insights',
        '/api/suggestions',
        '/api/suggestions/{id}/feedback',
      ]),
    );
  });

  it('answers an unknown route with a JSON 404', async () => {
    await expectError(await get('/api/nothing'), 404, 'NOT_FOUND');
  });

  it('limits the rate of clients from elsewhere, not of this box', async () => {
    const limited = await startServer(serveOptions({ rateLimitPerMinute: 2 }));
    try {
      const ask = (remoteAddress: string) =>
        limited.app.inject({
          url: '/api/insights',
          remoteAddress,
          headers: { authorization: `Bearer ${TOKEN}` },
        });
      const codes = [];
      for (let i = 0; i < 3; i++) {
        codes.push((await ask('192.168.1.20')).statusCode, (await ask('127.0.0.1')).statusCode);
      }

      expect(codes).toEqual([200, 200, 200, 200, 429, 200]);
      const body = (await ask('192.168.1.20')).json<ErrorBody>();
      expect(body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it("fails to start on a home it cannot read, with the reader's error", async () => {
    const missing = join(storeDir, 'no-such-config');
    const starting = startServer(
      serveOptions({ home: { config: missing, source: [] }, logger: pino({ level: 'silent' }) }),
    );

    await expect(starting).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(starting).rejects.toThrow(missing);
  });

  it('refuses to bind beyond loopback without a token', async () => {
    await expect(
      startServer(serveOptions({ host: '0.0.0.0', apiToken: undefined })),
    ).rejects.toThrow(/API token/);
  });

  it('never logs the token, and logs no error for requests that were answered', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.join('')).not.toContain(TOKEN);
    const errors = logs.lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});

describe('tandem serve with Home Assistant live', () => {
  let home: SimulatedHome;
  let ha: FakeHomeAssistant;
  let storeDir: string;

  beforeAll(async () => {
    home = loadSimulatedHome({ seed: 6, days: 7 });
    storeDir = mkdtempSync(join(tmpdir(), 'tandem-store-'));
    ha = await FakeHomeAssistant.start({ token: 'ha-token' });
  });

  afterAll(async () => {
    await ha.close();
    home.remove();
    rmSync(storeDir, { recursive: true, force: true });
  });

  function serveOptions(token: string): ServeOptions {
    return serveSimulatedHome(home, storeDir, {
      calendars: [],
      homeAssistant: { url: ha.url, token },
    });
  }

  async function presenceNow(server: RunningServer) {
    const response = await fetch(`${server.url}/api/presence`);
    return (await response.json()) as { state: string; source: string; reason: string };
  }

  it('answers presence now from the live states, and after a dropped connection too', async () => {
    const residents = home.context.household!.residents.map((resident) => resident.entityId);
    for (const entityId of residents) {
      ha.setState(entityId, 'not_home', { time: Date.now() - 3_600_000 });
    }

    const server = await startServer(serveOptions('ha-token'));
    try {
      expect(await presenceNow(server)).toMatchObject({ state: 'away', source: 'home_assistant' });
      ha.setState(residents[0]!, 'home');
      await vi.waitFor(async () => {
        expect(await presenceNow(server)).toMatchObject({
          state: 'home',
          source: 'home_assistant',
        });
      });

      // Home Assistant goes away; the resident leaves meanwhile; the gap is read on reconnect.
      ha.rejectConnections(true);
      ha.dropConnections();
      ha.setState(residents[0]!, 'not_home');
      ha.rejectConnections(false);
      await vi.waitFor(
        async () => {
          expect(await presenceNow(server)).toMatchObject({ state: 'away' });
        },
        { timeout: 15_000, interval: 200 },
      );

      const health = (await (await fetch(`${server.url}/health`)).json()) as {
        events_ingested: number;
        sources: { name: string; state: string; reconnects?: number }[];
      };
      expect(health.events_ingested).toBeGreaterThanOrEqual(2);
      expect(health.sources.find((source) => source.name === 'home_assistant')).toMatchObject({
        state: 'connected',
        reconnects: 1,
      });
    } finally {
      await server.close();
    }
  }, 30_000);

  it('refuses to start with a token Home Assistant rejects', async () => {
    await expect(startServer(serveOptions('wrong-token'))).rejects.toMatchObject({
      code: 'HOME_ASSISTANT_AUTH_INVALID',
    });
  });
});
