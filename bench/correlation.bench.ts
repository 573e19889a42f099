/**
 * tandem's correlation computation against the same core statistics computed in DuckDB, in the
 * same process and run. bench/README.md says what each side computes and why the comparison is
 * drawn where it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';

import {
  computeAnalysisContext,
  computeCoActivity,
  computeCorrelations,
  computeEventStreams,
} from '../src/correlation/index.js';
import type {
  AnalysisContext,
  CoActivityRelation,
  EventStream,
  Relation,
} from '../src/correlation/index.js';
import {
  BUCKETS,
  LAG_EDGES_S,
  LagCounts,
  MAX_LAG_MS,
  mergeEvents,
  scanLags,
} from '../src/correlation/lag-scan.js';
import { computeHouseholdStreams } from '../src/correlation/household-streams.js';
import { hasActivity } from '../src/home/index.js';
import { PRESENCE_HOME } from '../src/presence/observed.js';
import { readRecorder, readRegistries } from '../src/sources/index.js';
import { activeStatePredicate, computeActivityIntervals } from '../src/timeline/index.js';
import type { HomeHistory } from '../src/timeline/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage, median } from './harness.js';
import type { BenchHome } from './homes.js';
import { benchHome } from './homes.js';

/** Timed runs per side, after a warm-up run. */
const RUNS = 5;
/** Pairs whose lag buckets are compared one by one, besides every bucket's total. */
const SAMPLE_PAIRS = 500;
/** How often RSS is read while an asynchronous run (DuckDB's) is in flight. */
const SAMPLE_MS = 5;
const MB = 2 ** 20;
/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** co-activity.ts's bins: 1/32 of an hour, so that one 32-bit word is one hour of the grid. */
const BINS_PER_HOUR = 32;
const BIN_MS = 3_600_000 / BINS_PER_HOUR;

interface LoadedHome {
  label: string;
  history: HomeHistory;
  context: AnalysisContext;
}

/** One side's runs: wall times, and the memory of its hungriest run. */
interface Measured<T> {
  seconds: number[];
  /** The highest RSS reached, over the RSS at that run's start; the warm-up run included. */
  peakRssGrowthMb: number;
  peakRssMb: number;
  /** JS heap plus typed arrays at the end of a run, before collection, over its start. */
  jsGrowthMb: number;
  last: T;
}

// Reading the home.

function loadHome(home: BenchHome, label: string): LoadedHome {
  const history = readRecorder(home.recorder);
  const context = computeAnalysisContext(history, timeZoneOf(home));
  return { label, history, context };
}

/** The simulator's truth names the zone; homes simulated before core.config was written lack it. */
function timeZoneOf(home: BenchHome): string {
  const truth = JSON.parse(readFileSync(join(home.dir, 'truth.json'), 'utf8')) as {
    time_zone?: string;
  };
  const zone = truth.time_zone ?? readRegistries(home.configDir).timeZone;
  if (zone === null) {
    throw new Error(`${home.dir}: the simulated home names no time zone`);
  }

  return zone;
}

// Measuring time and memory.

function heldMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Resets the kernel's resident high-water mark (Linux), so that VmHWM afterwards is this run's
 * peak. A timer cannot fire during tandem's run, which is synchronous; the kernel sees every
 * page, DuckDB's native ones included.
 */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function readPeakRss(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

interface RunSample<T> {
  seconds: number;
  startRss: number;
  peakRss: number;
  jsGrowth: number;
  result: T;
}

async function sampleRun<T>(run: () => T | Promise<T>): Promise<RunSample<T>> {
  collectGarbage();
  const startRss = process.memoryUsage().rss;
  const startHeld = heldMemory();
  const kernelPeak = resetPeakRss();
  let sampledPeak = startRss;
  const timer = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, SAMPLE_MS);

  const started = performance.now();
  let result: T;
  try {
    result = await run();
  } finally {
    clearInterval(timer);
  }

  const seconds = (performance.now() - started) / 1000;
  const jsGrowth = heldMemory() - startHeld;
  const endRss = process.memoryUsage().rss;
  const peakRss = Math.max(sampledPeak, endRss, kernelPeak ? readPeakRss() : 0);
  return { seconds, startRss, peakRss, jsGrowth, result };
}

/**
 * One side of the comparison. Sides take turns, one run each per round, so that a change in the
 * machine's load (2 shared cores) falls on all of them alike rather than on whichever ran then.
 */
class Side<T> {
  private readonly samples: Omit<RunSample<T>, 'result'>[] = [];
  /** Only the latest result is kept: six LagCounts at once would weigh on the later runs. */
  private latest: T | undefined;

  constructor(private readonly run: () => T | Promise<T>) {}

  async sample(): Promise<void> {
    this.latest = undefined;
    const { result, ...sample } = await sampleRun(this.run);
    this.samples.push(sample);
    this.latest = result;
  }

  /** The first run warms up: its memory counts, its time does not. */
  result(): Measured<T> {
    const timed = this.samples.slice(1);
    if (timed.length === 0 || this.latest === undefined) {
      throw new Error('no timed run');
    }

    return {
      seconds: timed.map((sample) => sample.seconds),
      peakRssGrowthMb: Math.max(...this.samples.map((s) => s.peakRss - s.startRss)) / MB,
      peakRssMb: Math.max(...this.samples.map((s) => s.peakRss)) / MB,
      jsGrowthMb: Math.max(...timed.map((s) => s.jsGrowth)) / MB,
      last: this.latest,
    };
  }
}

/** A warm-up round, then `RUNS` timed ones, each round starting with the next side. */
async function takeTurns(sides: readonly Side<unknown>[]): Promise<void> {
  for (let round = 0; round <= RUNS; round++) {
    for (let k = 0; k < sides.length; k++) {
      await sides[(round + k) % sides.length]?.sample();
    }
  }
}

// tandem's side.

interface CoreResult {
  counts: LagCounts;
  lagSeconds: number;
  phiSeconds: number;
}

/**
 * The part of tandem that the SQL redoes: the lag scan over every ordered stream pair, and
 * co-activity's phi of every entity pair. With no phi high enough to pass, computeCoActivity
 * builds its activity bitsets and computes the observed 2×2 counts and phi of every pair, and
 * stops there: no day shifts, no tests.
 */
function runTandemCore(home: LoadedHome, streams: readonly EventStream[]): CoreResult {
  const started = performance.now();
  const counts = new LagCounts(streams.length);
  const entityOfStream = Int32Array.from(streams.map((stream) => stream.entity));
  scanLags(mergeEvents(streams), entityOfStream, counts);

  const scanned = performance.now();
  computeCoActivity(home.history, home.context, { minPhi: Infinity });
  return {
    counts,
    lagSeconds: (scanned - started) / 1000,
    phiSeconds: (performance.now() - scanned) / 1000,
  };
}

/**
 * The streams computeCorrelations scans: the devices' and the household's arrivals and
 * departures. index.ts assembles them inline; keep this in step with it.
 */
function correlationStreams({ history, context }: LoadedHome): EventStream[] {
  return [...computeEventStreams(history), ...computeHouseholdStreams(history, context)];
}

// DuckDB's side: its input, built with tandem's own functions.

interface SqlInput {
  stream: Int32Array;
  entity: Int32Array;
  time: Float64Array;
  binEntity: Int32Array;
  bin: Int32Array;
  /** Hours of the grid in which co-activity is judged: someone home, when that is known. */
  homeHours: Int32Array;
}

function buildSqlInput(home: LoadedHome, streams: readonly EventStream[]): SqlInput {
  const events = streams.reduce((sum, stream) => sum + stream.times.length, 0);
  const stream = new Int32Array(events);
  const entity = new Int32Array(events);
  const time = new Float64Array(events);
  let n = 0;
  for (const [s, { entity: e, times }] of streams.entries()) {
    stream.fill(s, n, n + times.length);
    entity.fill(e, n, n + times.length);
    time.set(times, n);
    n += times.length;
  }

  return { stream, entity, time, ...buildBins(home), homeHours: buildHomeHours(home.context) };
}

/**
 * Every bin in which an entity with an on/off meaning was active, all hours; SQL applies the
 * home mask itself. The bin edges are co-activity.ts's (floor of the start, ceiling of the end),
 * which it keeps private; the check against tandem's phi catches any drift.
 */
function buildBins({ history, context }: LoadedHome): Pick<SqlInput, 'binEntity' | 'bin'> {
  const origin = context.grid.window.start;
  const binLimit = context.grid.hourOfWeek.length * BINS_PER_HOUR;
  const entities: number[] = [];
  const bins: number[] = [];
  for (const [entity, timeline] of history.timelines.entries()) {
    const info = history.entities[entity];
    if (info === undefined || !hasActivity(info.domain) || timeline.length === 0) {
      continue;
    }

    const active = activeStatePredicate(info.domain, history.states);
    const intervals = computeActivityIntervals(timeline, active);
    // An interval that ends in the bin where the next one starts marks that bin once: a set.
    let done = 0;
    for (let k = 0; k < intervals.length; k++) {
      const start = Math.floor(((intervals.starts[k] ?? 0) - origin) / BIN_MS);
      const end = Math.min(binLimit, Math.ceil(((intervals.ends[k] ?? 0) - origin) / BIN_MS));
      for (let bin = Math.max(0, start, done); bin < end; bin++) {
        entities.push(entity);
        bins.push(bin);
      }

      done = Math.max(done, end);
    }
  }

  return { binEntity: Int32Array.from(entities), bin: Int32Array.from(bins) };
}

function buildHomeHours(context: AnalysisContext): Int32Array {
  const hours: number[] = [];
  for (let h = 0; h < context.grid.hourOfWeek.length; h++) {
    if (context.presence === undefined || context.presence[h] === PRESENCE_HOME) {
      hours.push(h);
    }
  }

  return Int32Array.from(hours);
}

// DuckDB's side: loading and SQL.

const SCHEMA = `
  CREATE TABLE events (stream INTEGER, entity INTEGER, t DOUBLE);
  CREATE TABLE bins (entity INTEGER, bin INTEGER);
  CREATE TABLE home_hours (hour INTEGER);`;

/** A lag's bucket as a sum of comparisons: branch-free, and faster in DuckDB than a CASE. */
const BUCKET_SQL = LAG_EDGES_S.slice(0, -1)
  .map((edge) => `(lag_ms > ${edge * 1000})::INTEGER`)
  .join(' + ');

/**
 * Per ordered stream pair of different entities and lag bucket: how many of A's events had B's
 * first event at or after them within the longest lag. Each B event is that first event for
 * exactly the A events since B's previous event (and within the longest lag before it), so one
 * interval per B event turns "first following" into a range join that DuckDB runs as an IEJoin,
 * with no per-A-event minimum to take afterwards. The join bound has a millisecond of slack, and
 * the exact bound is the filter, so that rounding in `t - MAX` cannot drop a lag.
 */
const LAG_COUNTS_SQL = `
  CREATE TABLE lag_counts AS
  WITH followed AS (
    SELECT stream, entity, t, lag(t) OVER (PARTITION BY stream ORDER BY t) AS prev FROM events
  ), catches AS (
    SELECT stream, entity, t,
      CASE WHEN prev IS NULL OR t - ${MAX_LAG_MS + 1} > prev THEN t - ${MAX_LAG_MS + 1}
           ELSE nextafter(prev, 'Infinity'::DOUBLE) END AS lo
    FROM followed
  ), met AS (
    SELECT a.stream AS a, b.stream AS b, b.t - a.t AS lag_ms
    FROM events a JOIN catches b ON a.t >= b.lo AND a.t <= b.t
    WHERE b.t - a.t <= ${MAX_LAG_MS} AND a.entity <> b.entity
  )
  SELECT a, b, ${BUCKET_SQL} AS bucket, count(*)::INTEGER AS n FROM met GROUP BY ALL`;

/**
 * For every pair of entities active in some counted hour: the 2×2 bin counts over the counted
 * hours and phi, computed in doubles as tandem does. Bins active in both come from a self-join
 * on the bin; pairs never active together are kept with 0.
 */
const PHI_SQL = `
  CREATE TABLE phi AS
  WITH active AS (
    SELECT entity, bin FROM bins SEMI JOIN home_hours ON bin // ${BINS_PER_HOUR} = hour
  ),
  per_entity AS (SELECT entity, count(*)::DOUBLE AS n FROM active GROUP BY entity),
  total AS (SELECT ${BINS_PER_HOUR} * count(*)::DOUBLE AS total FROM home_hours),
  overlap AS (
    SELECT x.entity AS a, y.entity AS b, count(*)::DOUBLE AS n_both
    FROM active x JOIN active y ON x.bin = y.bin AND x.entity < y.entity
    GROUP BY ALL
  ), cells AS (
    SELECT pa.entity AS a, pb.entity AS b, coalesce(o.n_both, 0) AS n_both,
      pa.n AS count_a, pb.n AS count_b, total
    FROM per_entity pa JOIN per_entity pb ON pa.entity < pb.entity CROSS JOIN total
    LEFT JOIN overlap o ON o.a = pa.entity AND o.b = pb.entity
  )
  SELECT *, CASE WHEN count_a * count_b * (total - count_a) * (total - count_b) > 0
    THEN (total * n_both - count_a * count_b)
      / sqrt(count_a * count_b * (total - count_a) * (total - count_b)) END AS phi
  FROM cells`;

interface DuckDbRun {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  loadSeconds: number;
  lagSeconds: number;
  phiSeconds: number;
}

/** A fresh in-memory database per run: bulk load through the appender, then both statistics. */
async function runDuckDb(input: SqlInput): Promise<DuckDbRun> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(SCHEMA);
  await append(
    connection,
    'events',
    [INTEGER, INTEGER, DOUBLE],
    [input.stream, input.entity, input.time],
  );
  await append(connection, 'bins', [INTEGER, INTEGER], [input.binEntity, input.bin]);
  await append(connection, 'home_hours', [INTEGER], [input.homeHours]);

  const loaded = performance.now();
  await connection.run(LAG_COUNTS_SQL);
  const lagged = performance.now();
  await connection.run(PHI_SQL);
  return {
    instance,
    connection,
    loadSeconds: (loaded - started) / 1000,
    lagSeconds: (lagged - loaded) / 1000,
    phiSeconds: (performance.now() - lagged) / 1000,
  };
}

function closeDuckDb(run: DuckDbRun): void {
  run.connection.closeSync();
  run.instance.closeSync();
}

/** Column-wise data chunks of `CHUNK_ROWS` rows: the appender's bulk path. */
async function append(
  connection: DuckDBConnection,
  table: string,
  types: readonly DuckDBType[],
  columns: readonly (Int32Array | Float64Array)[],
): Promise<void> {
  const appender = await connection.createAppender(table);
  const rows = columns[0]?.length ?? 0;
  for (let from = 0; from < rows; from += CHUNK_ROWS) {
    const to = Math.min(rows, from + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(types, to - from);
    chunk.setColumns(columns.map((column) => Array.from(column.subarray(from, to))));
    appender.appendDataChunk(chunk);
  }

  appender.closeSync();
}

// Checking that both sides computed the same numbers.

async function readRows(connection: DuckDBConnection, sql: string): Promise<number[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS().map((row) => row.map((value) => Number(value)));
}

function mismatch(what: string, sql: unknown, tandem: unknown): Error {
  return new Error(
    `correlation bench: SQL and tandem disagree on ${what}: ` +
      `SQL ${JSON.stringify(sql)}, tandem ${JSON.stringify(tandem)}`,
  );
}

/** Every bucket's total and the number of pairs, then a spread sample of pairs bucket by bucket. */
async function checkLagCounts(connection: DuckDBConnection, counts: LagCounts): Promise<number> {
  const totals = new Array<number>(BUCKETS).fill(0);
  const sample = new Map<string, number[]>();
  const every = Math.max(1, Math.floor(counts.pairs / SAMPLE_PAIRS));
  let p = 0;
  counts.forEach((a, b, buckets) => {
    buckets.forEach((n, k) => (totals[k] = (totals[k] ?? 0) + n));
    if (p++ % every === 0) {
      sample.set(`${a},${b}`, Array.from(buckets));
    }
  });

  const sqlTotals = new Array<number>(BUCKETS).fill(0);
  const byBucket = 'SELECT bucket, sum(n) FROM lag_counts GROUP BY bucket';
  for (const [bucket = 0, n = 0] of await readRows(connection, byBucket)) {
    sqlTotals[bucket] = n;
  }

  const [[sqlPairs] = []] = await readRows(
    connection,
    'SELECT count(DISTINCT (a, b)) FROM lag_counts',
  );
  if (JSON.stringify(sqlTotals) !== JSON.stringify(totals) || sqlPairs !== counts.pairs) {
    throw mismatch('lag bucket totals', [sqlTotals, sqlPairs], [totals, counts.pairs]);
  }

  await checkSampledPairs(connection, sample);
  return sample.size;
}

async function checkSampledPairs(
  connection: DuckDBConnection,
  sample: Map<string, number[]>,
): Promise<void> {
  const keys = [...sample.keys()].map((key) => `(${key})`).join(', ');
  const sql = `SELECT a, b, bucket, n FROM lag_counts WHERE (a, b) IN (${keys})`;
  const fromSql = new Map<string, number[]>();
  for (const [a, b, bucket = 0, n = 0] of await readRows(connection, sql)) {
    const key = `${a},${b}`;
    const buckets = fromSql.get(key) ?? new Array<number>(BUCKETS).fill(0);
    buckets[bucket] = n;
    fromSql.set(key, buckets);
  }

  for (const [key, buckets] of sample) {
    if (JSON.stringify(fromSql.get(key)) !== JSON.stringify(buckets)) {
      throw mismatch(`the lag buckets of stream pair ${key}`, fromSql.get(key), buckets);
    }
  }
}

/** Every co-activity relation tandem reports: its phi and its bins active in both. */
async function checkPhi(
  connection: DuckDBConnection,
  history: HomeHistory,
  relations: readonly CoActivityRelation[],
): Promise<number> {
  const indexOf = new Map(history.entities.map((info, i) => [info.entityId, i]));
  const rows = await readRows(connection, 'SELECT a, b, n_both, phi FROM phi WHERE phi >= 0.1');
  const fromSql = new Map(rows.map(([a, b, both, phi]) => [`${a},${b}`, { both, phi }]));
  for (const relation of relations) {
    const key = `${indexOf.get(relation.a.entityId)},${indexOf.get(relation.b.entityId)}`;
    const sql = fromSql.get(key);
    const phiAgrees = sql?.phi !== undefined && Math.abs(sql.phi - relation.phi) <= 1e-9;
    if (!phiAgrees || sql.both !== relation.support) {
      throw mismatch(`phi of entity pair ${key}`, sql, [relation.support, relation.phi]);
    }
  }

  return relations.length;
}

// The scenario.

type DuckDbTimes = Pick<DuckDbRun, 'loadSeconds' | 'lagSeconds' | 'phiSeconds'>;

interface Comparison {
  full: Measured<Relation[]>;
  core: Measured<CoreResult>;
  duck: Measured<DuckDbTimes>;
  checked: Record<string, number | string>;
}

async function compare(home: LoadedHome): Promise<Comparison> {
  const { history, context } = home;
  const streams = correlationStreams(home);
  const input = buildSqlInput(home, streams);
  const full = new Side(() => computeCorrelations(history, context));
  const core = new Side(() => runTandemCore(home, streams));
  const duck = new Side(async () => {
    const run = await runDuckDb(input);
    closeDuckDb(run);
    return { loadSeconds: run.loadSeconds, lagSeconds: run.lagSeconds, phiSeconds: run.phiSeconds };
  });
  await takeTurns([full, core, duck] as Side<unknown>[]);

  const result = { full: full.result(), core: core.result(), duck: duck.result() };
  const checked = await checkAgainstTandem(home, input, result.core.last, result.full.last);
  return { ...result, checked };
}

/** Outside the timed runs: a wrong SQL must fail the scenario, not flatter tandem. */
async function checkAgainstTandem(
  home: LoadedHome,
  input: SqlInput,
  core: CoreResult,
  relations: readonly Relation[],
): Promise<Record<string, number | string>> {
  const coActivity = relations.filter((r): r is CoActivityRelation => r.kind === 'co_activity');
  const run = await runDuckDb(input);
  try {
    const [[threads] = []] = await readRows(run.connection, "SELECT current_setting('threads')");
    return {
      threads: threads ?? 0,
      events: input.time.length,
      bins: input.bin.length,
      checked_pairs: await checkLagCounts(run.connection, core.counts),
      checked_phis: await checkPhi(run.connection, home.history, coActivity),
    };
  } finally {
    closeDuckDb(run);
  }
}

function timeDetail(measured: Measured<unknown>): Record<string, number | string> {
  return {
    p50_s: median(measured.seconds),
    min_s: Math.min(...measured.seconds),
    runs: measured.seconds.map((seconds) => seconds.toFixed(2)).join(' / '),
  };
}

function memoryDetail(measured: Measured<unknown>): Record<string, number> {
  return {
    peak_rss_growth_mb: measured.peakRssGrowthMb,
    peak_rss_mb: measured.peakRssMb,
    js_growth_mb: measured.jsGrowthMb,
  };
}

const SQL_DOES =
  'per ordered stream pair of different entities the lag-bucket counts of first followers, ' +
  'per entity pair the 2×2 bin counts and phi';

function timeFigures(size: string, id: (name: string) => string, result: Comparison): Figure[] {
  const { full, core, duck } = result;
  const duckS = median(duck.seconds);
  return [
    {
      id: id('tandem_s'),
      description:
        "tandem's full computeCorrelations: event streams, lag scan, windows, baselines, " +
        `Poisson and day-shift tests, co-activity phi with day shifts, FDR; ${size}`,
      unit: 's',
      value: median(full.seconds),
      target: duckS,
      goal: null,
      better: 'lower',
      detail: { ...timeDetail(full), load: loadAverage() },
    },
    {
      id: id('tandem_core_s'),
      description:
        "tandem's part that the SQL redoes: mergeEvents + scanLags into LagCounts, and " +
        `computeCoActivity's phi of every pair (minPhi ∞: no shifts, no tests); ${size}`,
      unit: 's',
      value: median(core.seconds),
      target: duckS,
      goal: null,
      better: 'lower',
      detail: {
        ...timeDetail(core),
        lag_scan_s: core.last.lagSeconds,
        phi_s: core.last.phiSeconds,
      },
    },
    {
      id: id('duckdb_s'),
      description:
        'reference: DuckDB in the same process, appender bulk load + SQL for ' +
        `${SQL_DOES}; ${size}`,
      unit: 's',
      value: duckS,
      target: duckS,
      goal: null,
      better: 'lower',
      detail: {
        ...timeDetail(duck),
        load_s: duck.last.loadSeconds,
        lag_sql_s: duck.last.lagSeconds,
        phi_sql_s: duck.last.phiSeconds,
        ...result.checked,
      },
    },
  ];
}

function ratioFigures(size: string, id: (name: string) => string, result: Comparison): Figure[] {
  const duckS = median(result.duck.seconds);
  const ratio = (tandem: Measured<unknown>) => duckS / median(tandem.seconds);
  const figure = (name: string, what: string, tandem: Measured<unknown>): Figure => ({
    id: id(name),
    description: `DuckDB's time over ${what} (above 1: tandem is faster); ${size}`,
    unit: 'ratio',
    value: ratio(tandem),
    target: 1,
    goal: null,
    better: 'higher',
    detail: { by_min_s: Math.min(...result.duck.seconds) / Math.min(...tandem.seconds) },
  });
  return [
    figure('duckdb_over_tandem', "tandem's full computation", result.full),
    figure('duckdb_over_tandem_core', "tandem's lag scan and phi alone", result.core),
  ];
}

function memoryFigures(size: string, id: (name: string) => string, result: Comparison): Figure[] {
  const { full, core, duck } = result;
  return [
    {
      id: id('tandem_peak_rss_mb'),
      description:
        "tandem's full computation: peak RSS above the RSS at its start " +
        `(the history is already read); ${size}`,
      unit: 'MB',
      value: full.peakRssGrowthMb,
      target: duck.peakRssGrowthMb,
      goal: null,
      better: 'lower',
      detail: { ...memoryDetail(full), core_peak_rss_growth_mb: core.peakRssGrowthMb },
    },
    {
      id: id('duckdb_peak_rss_mb'),
      description: `reference: DuckDB's load and SQL: peak RSS above the RSS at its start; ${size}`,
      unit: 'MB',
      value: duck.peakRssGrowthMb,
      target: duck.peakRssGrowthMb,
      goal: null,
      better: 'lower',
      detail: memoryDetail(duck),
    },
  ];
}

function figuresFor(home: LoadedHome, result: Comparison): Figure[] {
  const [entities, days] = home.label.split('x');
  const size = `${entities} entities × ${days} days`;
  const id = (name: string) => `correlation.${name}.${home.label}`;
  return [
    ...timeFigures(size, id, result),
    ...ratioFigures(size, id, result),
    ...memoryFigures(size, id, result),
  ];
}

function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

async function measureHome(entities: number, days: number): Promise<Figure[]> {
  const home = loadHome(benchHome(entities, days), `${entities}x${days}`);
  const result = await compare(home);
  return figuresFor(home, result);
}

async function runAll(quick: boolean): Promise<Figure[]> {
  const sizes: [number, number][] = quick
    ? [[100, 7]]
    : [
        [100, 30],
        [1000, 30],
      ];
  const figures: Figure[] = [];
  for (const [entities, days] of sizes) {
    figures.push(...(await measureHome(entities, days)));
  }

  return figures;
}

export const scenarios: Scenario[] = [
  {
    id: 'correlation',
    description: "tandem's correlation computation against the same core statistics in DuckDB",
    run: ({ quick }) => runAll(quick),
  },
];
