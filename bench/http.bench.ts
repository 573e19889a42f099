import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

import autocannon from 'autocannon';
import Database from 'better-sqlite3';

import { FakeHomeAssistant } from '../test/fake-home-assistant.js';
import type { Figure, Scenario } from './harness.js';
import { median, percentile } from './harness.js';
import { benchHome } from './homes.js';

const MAIN = join(import.meta.dirname, '../src/cli/main.ts');
const BARE_FASTIFY = join(import.meta.dirname, 'peers/bare-fastify.ts');

interface Sizes {
  /** Sequential requests per route for the single-request percentiles. */
  requests: number;
  /** Batches of ten concurrent requests. */
  batches: number;
  /** Seconds of load per route and round for the throughput figures. */
  loadSeconds: number;
  /** Rounds of load, each route once a round; the first warms up. */
  loadRounds: number;
}

const FULL: Sizes = { requests: 3000, batches: 500, loadSeconds: 4, loadRounds: 4 };
const QUICK: Sizes = { requests: 300, batches: 50, loadSeconds: 1, loadRounds: 2 };
const CONCURRENCY = 10;

interface Server {
  url: string;
  child: ChildProcess;
}

/** Starts a server in its own process and waits for the line that names its address. */
function startProcess(
  args: string[],
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = pattern.exec(stderr)?.[1];
      if (url !== undefined) {
        resolve({ url, child });
      }
    });
    child.on('exit', (code) => {
      reject(new Error(`server exited with ${String(code)} before listening:\n${stderr}`));
    });
  });
}

/** `tandem serve` over a home, on a free port, logging only what goes wrong. */
function startTandem(
  configDir: string,
  store: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Server> {
  return startProcess(
    [
      MAIN,
      'serve',
      '--config',
      configDir,
      '--port',
      '0',
      '--store',
      store,
      '--log-level',
      'warn',
    ].concat(extra),
    /tandem serves (http:\/\/\S+)/,
    env,
  );
}

function stopProcess(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.once('exit', () => {
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

/** One GET over a keep-alive agent; resolves with its status once the body is read. */
function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        resolve(response.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Milliseconds per request, one at a time over one kept-alive connection, after a warm-up. */
async function sequentialLatencies(url: string, count: number): Promise<Float64Array> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < count / 10; i++) {
    await get(agent, url);
  }

  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const status = await get(agent, url);
    latencies[i] = performance.now() - started;
    if (status !== 200) {
      throw new Error(`${url} answered ${status}`);
    }
  }

  agent.destroy();
  return latencies.sort();
}

/** Milliseconds until all of ten requests sent at once have been answered, per batch. */
async function batchLatencies(urls: readonly string[], batches: number): Promise<Float64Array> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const batch = () =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => get(agent, urls[i % urls.length] ?? '')),
    );
  for (let i = 0; i < batches / 10; i++) {
    await batch();
  }

  const latencies = new Float64Array(batches);
  for (let i = 0; i < batches; i++) {
    const started = performance.now();
    await batch();
    latencies[i] = performance.now() - started;
  }

  agent.destroy();
  return latencies.sort();
}

interface Load {
  perSecond: number;
  p99Ms: number;
}

/** Requests per second that ten connections get through, from autocannon in this process. */
async function throughput(url: string, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections: CONCURRENCY, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors under load`);
  }

  return { perSecond: result.requests.average, p99Ms: result.latency.p99 };
}

/**
 * The throughput of each URL, loaded in turns: a round loads each once, the first starting
 * later each round, and the first round only warms up. A change of load on the shared machine
 * then falls on every side alike. Returns each URL's kept rounds.
 */
async function throughputsInTurns(urls: readonly string[], sizes: Sizes): Promise<Load[][]> {
  const loads = urls.map((): Load[] => []);
  for (let round = 0; round < sizes.loadRounds; round++) {
    for (let turn = 0; turn < urls.length; turn++) {
      const side = (round + turn) % urls.length;
      const load = await throughput(urls[side] ?? '', sizes.loadSeconds);
      if (round > 0) {
        loads[side]?.push(load);
      }
    }
  }

  return loads;
}

/** The round of median throughput, with its own latency. */
function medianLoad(loads: readonly Load[]): Load {
  const sorted = [...loads].sort((x, y) => x.perSecond - y.perSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) {
    throw new RangeError('the throughput needs at least two rounds');
  }

  return middle;
}

function latencyFigure(id: string, description: string, sorted: Float64Array): Figure {
  const p = (q: number) => Number(percentile(sorted, q).toFixed(3));
  return {
    id,
    description,
    unit: 'ms',
    value: p(99),
    target: 200,
    goal: 5,
    better: 'lower',
    detail: { p50: p(50), p95: p(95), p99: p(99), requests: sorted.length },
  };
}

async function measureHttp(quick: boolean, workDir: string): Promise<Figure[]> {
  const sizes = quick ? QUICK : FULL;
  const home = quick ? benchHome(50, 7) : benchHome(100, 30);
  const tandem = await startTandem(home.configDir, join(workDir, 'tandem.db'));
  const bare = await startProcess([BARE_FASTIFY], /listening (http:\/\/\S+)/);

  try {
    const presence = `${tandem.url}/api/presence`;
    const correlations = `${tandem.url}/api/correlations?min_confidence=0.5&limit=20`;
    const presenceLatency = await sequentialLatencies(presence, sizes.requests);
    const correlationLatency = await sequentialLatencies(correlations, sizes.requests);
    const bareLatency = await sequentialLatencies(`${bare.url}/health`, sizes.requests);
    const batches = await batchLatencies([presence, correlations], sizes.batches);
    const [presenceLoads = [], correlationLoads = [], bareLoads = []] = await throughputsInTurns(
      [presence, correlations, `${bare.url}/health`],
      sizes,
    );
    const presenceLoad = medianLoad(presenceLoads);
    const correlationLoad = medianLoad(correlationLoads);
    const bareLoad = medianLoad(bareLoads);
    // Each round's presence over that round's bare route: the two ran seconds apart.
    const ceilingRatios = presenceLoads.map(
      (load, round) => load.perSecond / (bareLoads[round]?.perSecond ?? Number.NaN),
    );
    const loadDetail = { seconds: sizes.loadSeconds, rounds: sizes.loadRounds - 1 };
    const p = (sorted: Float64Array, q: number) => Number(percentile(sorted, q).toFixed(3));

    return [
      latencyFigure(
        'http-presence-p99',
        'GET /api/presence, one request at a time, p99',
        presenceLatency,
      ),
      latencyFigure(
        'http-correlations-p99',
        'GET /api/correlations (min_confidence=0.5, limit=20), one at a time, p99',
        correlationLatency,
      ),
      {
        id: 'http-concurrent-10',
        description: 'ten concurrent requests (presence and correlations), all answered, p99',
        unit: 'ms',
        value: p(batches, 99),
        target: 500,
        goal: 20,
        better: 'lower',
        detail: { p50: p(batches, 50), p95: p(batches, 95), p99: p(batches, 99) },
      },
      {
        id: 'http-presence-throughput',
        description: 'GET /api/presence under ten connections (autocannon, second process)',
        unit: 'req/s',
        value: Math.round(presenceLoad.perSecond),
        target: 5000,
        goal: null,
        better: 'higher',
        detail: { p99_ms: presenceLoad.p99Ms, ...loadDetail },
      },
      {
        id: 'http-correlations-throughput',
        description: 'GET /api/correlations under ten connections (autocannon, second process)',
        unit: 'req/s',
        value: Math.round(correlationLoad.perSecond),
        target: 5000,
        goal: null,
        better: 'higher',
        detail: { p99_ms: correlationLoad.p99Ms, ...loadDetail },
      },
      {
        id: 'http-framework-ceiling-ratio',
        description:
          'GET /api/presence throughput as a share of a bare fastify route returning a constant ' +
          '(median of the rounds, each loading both)',
        unit: 'ratio',
        value: Number(median(ceilingRatios).toFixed(3)),
        target: 0.5,
        goal: null,
        better: 'higher',
        detail: {
          bare_req_s: Math.round(bareLoad.perSecond),
          bare_p99_ms: p(bareLatency, 99),
          rounds: ceilingRatios.map((ratio) => ratio.toFixed(2)).join(' / '),
        },
      },
    ];
  } finally {
    await Promise.all([stopProcess(tandem), stopProcess(bare)]);
  }
}

interface SoakSizes {
  seconds: number;
  /** How often the server's memory is read. */
  sampleSeconds: number;
}

const SOAK_FULL: SoakSizes = { seconds: 600, sampleSeconds: 10 };
const SOAK_QUICK: SoakSizes = { seconds: 12, sampleSeconds: 1 };
/** State changes Home Assistant sends per second: a busy home's daytime rate. */
const EVENTS_PER_SECOND = 20;
/** Requests per second over the run: a dashboard, a scraper and scripts, many times over. */
const SOAK_REQUESTS_PER_SECOND = 200;
const HA_TOKEN = 'bench-home-assistant-token';

interface MemorySample {
  rssMb: number;
  heapMb: number;
}

/** The server's own memory, as its Prometheus metrics report it. */
async function readMemory(url: string): Promise<MemorySample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return {
    rssMb: value('tandem_process_resident_memory_bytes') / 2 ** 20,
    heapMb: value('tandem_nodejs_heap_size_used_bytes') / 2 ** 20,
  };
}

async function readHitRatio(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^tandem_cache_hit_ratio\{cache="presence_queries"\} (\S+)$/m.exec(text)?.[1]);
}

/** The median of the first and of the last fifth of the samples: growth without GC's noise. */
function growth(samples: readonly number[]): { start: number; end: number } {
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  return { start: median(samples.slice(0, fifth)), end: median(samples.slice(-fifth)) };
}

/**
 * `tandem serve` for minutes on end, as it lives beside Home Assistant: state changes arriving
 * live from a Home Assistant that speaks the real protocol, a steady load of requests, and the
 * analysis redone every minute. Memory must stay flat and the presence cache must keep hitting.
 */
async function measureSoak(quick: boolean, workDir: string): Promise<Figure[]> {
  const sizes = quick ? SOAK_QUICK : SOAK_FULL;
  const home = quick ? benchHome(50, 7) : benchHome(100, 30);
  const ha = await FakeHomeAssistant.start({ token: HA_TOKEN });
  const residents = personsOf(home.recorder);
  for (const person of residents) {
    ha.setState(person, 'home');
  }

  const server = await startTandem(
    home.configDir,
    join(workDir, 'soak.db'),
    ['--ha-url', ha.url, '--refresh-minutes', '1'],
    { HA_TOKEN },
  );

  let sent = 0;
  const events = setInterval(() => {
    for (let i = 0; i < EVENTS_PER_SECOND / 10; i++, sent++) {
      ha.setState(`light.soak_${sent % 200}`, sent % 400 < 200 ? 'on' : 'off');
    }

    // Now and then a resident leaves or comes home, as the live presence must follow.
    if (sent % (EVENTS_PER_SECOND * 60) === 0 && residents.length > 0) {
      const person = residents[(sent / (EVENTS_PER_SECOND * 60)) % residents.length] ?? '';
      ha.setState(
        person,
        ha.currentStates().find((s) => s.entity_id === person)?.state === 'home'
          ? 'not_home'
          : 'home',
      );
    }
  }, 100);

  const samples: MemorySample[] = [];
  const sampler = setInterval(() => {
    void readMemory(server.url).then((sample) => samples.push(sample));
  }, sizes.sampleSeconds * 1000);

  try {
    const load = await autocannon({
      url: server.url,
      connections: 2,
      overallRate: SOAK_REQUESTS_PER_SECOND,
      duration: sizes.seconds,
      requests: [
        { method: 'GET', path: '/api/presence' },
        { method: 'GET', path: '/api/correlations?min_confidence=0.5&limit=20' },
      ],
    });
    const hitRatio = await readHitRatio(server.url);
    const heap = growth(samples.map((sample) => sample.heapMb));
    const rss = growth(samples.map((sample) => sample.rssMb));
    const round = (value: number) => Number(value.toFixed(1));

    return [
      {
        id: 'http-soak-heap-growth',
        description:
          `heap growth of tandem serve over ${sizes.seconds} s with ${EVENTS_PER_SECOND} live ` +
          `changes/s, ${SOAK_REQUESTS_PER_SECOND} requests/s and an analysis every minute ` +
          '(median of the last fifth of samples minus the first fifth)',
        unit: 'MB',
        value: round(heap.end - heap.start),
        target: 10,
        goal: null,
        better: 'lower',
        detail: {
          heap_start_mb: round(heap.start),
          heap_end_mb: round(heap.end),
          rss_start_mb: round(rss.start),
          rss_end_mb: round(rss.end),
          requests: load.requests.total,
          non_2xx: load.non2xx,
          p99_ms: load.latency.p99,
          changes_sent: sent,
        },
      },
      {
        id: 'http-presence-cache-hit-rate',
        description: 'presence query cache hit rate in the server, steady state over the soak',
        unit: '%',
        value: Number((hitRatio * 100).toFixed(2)),
        target: 90,
        goal: 99,
        better: 'higher',
      },
    ];
  } finally {
    clearInterval(events);
    clearInterval(sampler);
    await stopProcess(server);
    await ha.close();
  }
}

/** The home's `person` entities, which the live presence follows. */
function personsOf(recorder: string): string[] {
  const db = new Database(recorder, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT entity_id FROM states_meta WHERE entity_id LIKE 'person.%'")
      .all() as { entity_id: string }[];
    return rows.map((row) => row.entity_id);
  } finally {
    db.close();
  }
}

export const scenarios: Scenario[] = [
  {
    id: 'http',
    description:
      '`tandem serve` in its own process over a simulated home, loaded from this one: latency ' +
      'one request at a time, ten at once, and throughput beside a bare fastify route',
    run: ({ quick, workDir }) => measureHttp(quick, workDir),
  },
  {
    id: 'http-soak',
    description:
      '`tandem serve` for ten minutes with live changes from a Home Assistant that speaks the ' +
      'real protocol, a steady load and an analysis every minute: memory and cache hits',
    run: ({ quick, workDir }) => measureSoak(quick, workDir),
  },
];
