import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { TandemError } from '../errors.js';
import { domainOf, isRealState } from '../home/index.js';
import { RECORDER_FILE } from '../sources/index.js';
import type { PlannedChange } from './behaviour.js';
import { HOUR, MINUTE, SECOND, nextOf } from './behaviour.js';
import { ChangeChannel } from './change-channel.js';
import type { EntityDef, HomePlan } from './home-plan.js';
import { planHome } from './home-plan.js';
import { Household } from './household.js';
import { writeIcs } from './ics.js';
import type { HomeLocation } from './location.js';
import { coreConfig, locationFor } from './location.js';
import type { PresencePlan, Span } from './presence-plan.js';
import { planPresence } from './presence-plan.js';
import { Random } from './random.js';
import { RecorderWriter } from './recorder-writer.js';
import { writeRegistries } from './registries.js';
import { Zone, addDays, parseDate, formatDate } from './zone.js';

export interface SimulateOptions {
  /** The folder to write; created, and must not already hold a simulated home. */
  out: string;
  seed?: number;
  days?: number;
  /** First local day, YYYY-MM-DD. */
  start?: string;
  /** At least this many entities; the base home has about fifty. */
  entities?: number;
  residents?: number;
  timeZone?: string;
}

export interface SimulationSummary {
  out: string;
  entities: number;
  stateRows: number;
  days: number;
  start: string;
  end: string;
  durationMs: number;
}

/** The default period starts two weeks before Europe's spring clock change. */
export const DEFAULT_START = '2025-03-17';
export const DEFAULT_DAYS = 28;
export const TRUTH_VERSION = 2;

/** How long entities stay unavailable around a restart, and how long no change is planned. */
const RESTART_QUIET = 150 * SECOND;

interface Restart {
  time: number;
  unavailableFrom: number;
  restoredBy: number;
}

interface EntityRecord {
  def: EntityDef;
  stream: Iterator<PlannedChange>;
  channel: ChangeChannel | undefined;
  next: PlannedChange | undefined;
  changes: number;
  lastReal: string | undefined;
  lastState: string | undefined;
  lastAttributes: Record<string, unknown> | undefined;
}

/**
 * Writes a synthetic home to `options.out`: the recorder database and `.storage` registries
 * under `config/`, the residents' calendar, and the ground truth of what was planted.
 */
export function simulateHome(options: SimulateOptions): SimulationSummary {
  const began = performance.now();
  const settings = resolveOptions(options);
  const zone = new Zone(settings.timeZone);
  const firstDay = parseDate(settings.start);
  const start = zone.toUtc(firstDay);
  const end = zone.toUtc(addDays(firstDay, settings.days));
  const random = new Random(settings.seed);
  const presence = planPresence({
    zone,
    firstDay,
    days: settings.days,
    residents: settings.residents,
    random: random.fork('presence'),
  });
  const location = locationFor(zone, start);
  const household = new Household(presence.residents, zone, location, { start, end });
  const plan = planHome(presence.residents, settings.entities);
  const restarts = planRestarts(household, random.fork('restarts'), settings.days);

  const configDir = join(settings.out, 'config');
  prepareFolder(settings.out, configDir);
  const writer = RecorderWriter.create(join(configDir, RECORDER_FILE), {
    seed: settings.seed,
  });
  const records = planEntities(plan, household, random.fork('entities'));
  const occurrences = new Array<number>(plan.habits.length).fill(0);
  writeAll(writer, records, restarts, occurrences, end);
  const stateRows = writer.stateRows;
  writer.close(end);

  const createdAt = new Date(start - 30 * 86_400_000).toISOString().replace('Z', '+00:00');
  const registries = { ...writeRegistries(plan, createdAt), 'core.config': coreConfig(location) };
  mkdirSync(join(configDir, '.storage'), { recursive: true });
  for (const [key, value] of Object.entries(registries)) {
    writeFileSync(join(configDir, '.storage', key), JSON.stringify(value, null, 2) + '\n');
  }

  writeFileSync(
    join(settings.out, 'calendar.ics'),
    writeIcs(presence.calendar, zone, start - 7 * 86_400_000),
  );
  const truth = buildTruth({
    settings,
    plan,
    presence,
    household,
    records,
    restarts,
    occurrences,
    location,
    start,
    end,
  });
  writeFileSync(join(settings.out, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');

  return {
    out: settings.out,
    entities: records.length,
    stateRows,
    days: settings.days,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    durationMs: Math.round(performance.now() - began),
  };
}

function resolveOptions(options: SimulateOptions): Required<SimulateOptions> {
  const settings = {
    out: options.out,
    seed: options.seed ?? 1,
    days: options.days ?? DEFAULT_DAYS,
    start: options.start ?? DEFAULT_START,
    entities: options.entities ?? 0,
    residents: options.residents ?? 2,
    timeZone: options.timeZone ?? 'Europe/Berlin',
  };
  const checks: [boolean, string][] = [
    [Number.isInteger(settings.seed) && settings.seed >= 0, 'seed must be a whole number ≥ 0'],
    [
      Number.isInteger(settings.days) && settings.days >= 1 && settings.days <= 730,
      'days must be 1–730',
    ],
    [
      Number.isInteger(settings.entities) && settings.entities >= 0 && settings.entities <= 20_000,
      'entities must be 0–20000',
    ],
    [
      Number.isInteger(settings.residents) && settings.residents >= 1 && settings.residents <= 12,
      'residents must be 1–12',
    ],
  ];
  for (const [ok, message] of checks) {
    if (!ok) {
      throw new TandemError('INVALID_ARGUMENT', message);
    }
  }

  return settings;
}

function prepareFolder(out: string, configDir: string): void {
  const db = join(configDir, RECORDER_FILE);
  if (existsSync(join(out, 'truth.json')) || existsSync(db)) {
    for (const file of [db, `${db}-wal`, `${db}-shm`]) {
      rmSync(file, { force: true });
    }
  }

  mkdirSync(configDir, { recursive: true });
}

/** About one restart every nine days, at any hour: the first on day four. */
function planRestarts(household: Household, random: Random, days: number): Restart[] {
  const restarts: Restart[] = [];
  for (let day = 4; day < days; day += 9) {
    const time = household.start + day * 24 * HOUR + random.between(1, 23) * HOUR;
    const unavailableFrom = time + 20 * SECOND;
    restarts.push({
      time,
      unavailableFrom,
      restoredBy: unavailableFrom + random.between(45, 80) * SECOND,
    });
  }

  return restarts;
}

/**
 * Sets every entity's plan up, in order, so that responses read their triggers' changes.
 * Nothing is computed yet: the writer pulls changes as it goes.
 */
function planEntities(plan: HomePlan, household: Household, random: Random): EntityRecord[] {
  const records = new Map<string, EntityRecord>();
  const changesOf = (entityId: string) => {
    const record = records.get(entityId);
    if (record === undefined) {
      throw new TandemError(
        'INVALID_ARGUMENT',
        `"${entityId}" is planned after entities that read it`,
      );
    }

    return shared(record).reader();
  };
  for (const def of plan.entities) {
    const planned = def.plan({ household, random: random.fork(def.entityId), changesOf });
    records.set(def.entityId, {
      def,
      stream: planned[Symbol.iterator](),
      channel: undefined,
      next: undefined,
      changes: 0,
      lastReal: undefined,
      lastState: undefined,
      lastAttributes: undefined,
    });
  }

  // Only now: every reader of a channel must exist before its first change is read.
  for (const record of records.values()) {
    record.next = nextOf(record.stream);
  }

  return [...records.values()];
}

/**
 * The channel of an entity that others react to; the writer becomes its first reader. Most
 * entities have none and are read straight from their plan.
 */
function shared(record: EntityRecord): ChangeChannel {
  if (record.channel === undefined) {
    record.channel = new ChangeChannel(record.def.entityId, record.stream);
    record.stream = record.channel.reader();
  }

  return record.channel;
}

/**
 * A binary heap of entities ordered by their next change's time, then by their index, which
 * keeps the order of simultaneous changes fixed. Times sit in an array by entity index, so a
 * push allocates nothing: there is one per row written.
 */
class StreamHeap {
  private readonly items: number[] = [];
  private readonly times: Float64Array;

  constructor(entities: number) {
    this.times = new Float64Array(entities);
  }

  push(index: number, time: number): void {
    this.times[index] = time;
    let i = this.items.length;
    this.items.push(index);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = this.items[parent] ?? index;
      if (!this.isBefore(index, above)) {
        break;
      }

      this.items[i] = above;
      i = parent;
    }

    this.items[i] = index;
  }

  /** The index of the entity with the earliest next change. */
  pop(): number | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.sink(last);
    }

    return top;
  }

  peekTime(): number {
    const top = this.items[0];

    return top === undefined ? Infinity : (this.times[top] ?? Infinity);
  }

  /** Puts `index` at the root and moves it down to its place. */
  private sink(index: number): void {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      let earlier = this.items[child];
      const right = this.items[child + 1];
      if (earlier === undefined) {
        break;
      }

      if (right !== undefined && this.isBefore(right, earlier)) {
        child++;
        earlier = right;
      }

      if (!this.isBefore(earlier, index)) {
        break;
      }

      this.items[i] = earlier;
      i = child;
    }

    this.items[i] = index;
  }

  private isBefore(a: number, b: number): boolean {
    const ta = this.times[a] ?? Infinity;
    const tb = this.times[b] ?? Infinity;

    return ta < tb || (ta === tb && a < b);
  }
}

// TODO(simulator-speed): SQLite takes half the time of a large home on this thread. Give the
// writer a worker thread once one can be started from the TypeScript sources under vitest.
function writeAll(
  writer: RecorderWriter,
  records: EntityRecord[],
  restarts: Restart[],
  occurrences: number[],
  end: number,
): void {
  const heap = new StreamHeap(records.length);
  records.forEach((record, index) => {
    if (record.next !== undefined) {
      heap.push(index, record.next.time);
    }
  });
  let restartIndex = 0;
  for (;;) {
    const restart = restarts[restartIndex];
    if (restart !== undefined && restart.time <= heap.peekTime()) {
      writeRestart(writer, records, restart);
      restartIndex++;
      continue;
    }

    const index = heap.pop();
    const record = index === undefined ? undefined : records[index];
    if (index === undefined || record?.next === undefined) {
      return;
    }

    const change = record.next;
    if (change.time < end && !inQuietTime(change.time, restarts)) {
      writeChange(writer, record, change, occurrences);
    }

    record.next = nextOf(record.stream);
    if (record.next !== undefined) {
      heap.push(index, record.next.time);
    }
  }
}

function inQuietTime(time: number, restarts: Restart[]): boolean {
  return restarts.some((restart) => time >= restart.time && time < restart.time + RESTART_QUIET);
}

function writeChange(
  writer: RecorderWriter,
  record: EntityRecord,
  change: PlannedChange,
  occurrences: number[],
): void {
  const reactsTo = change.parent;
  if (reactsTo !== undefined && reactsTo.changed !== true && change.cause === 'automation') {
    return;
  }

  if (change.habit !== undefined && reactsTo?.changed !== true) {
    return;
  }

  const shared = change.sameContextAs;
  if (shared !== undefined && shared.contextId === undefined) {
    return;
  }

  const result = writer.write({
    entityId: record.def.entityId,
    time: change.time,
    state: change.state,
    attributes: change.attributes ?? record.lastAttributes ?? { friendly_name: record.def.name },
    cause: change.cause,
    parentContextId: reactsTo?.contextId,
    contextId: shared?.contextId,
  });
  change.contextId = result.contextId;
  change.changed = result.kind === 'changed';
  if (change.automationEvent !== undefined) {
    writer.writeEvent({
      eventType: 'automation_triggered',
      time: change.time + 1,
      data: {
        name: change.automationEvent.name,
        entity_id: change.automationEvent.entityId,
        source: change.automationEvent.source,
      },
      contextId: result.contextId,
      parentContextId: reactsTo?.contextId,
    });
  }

  if (change.changed && change.habit !== undefined) {
    occurrences[change.habit] = (occurrences[change.habit] ?? 0) + 1;
  }

  count(record, change.state, result.kind !== 'reported');
  record.lastAttributes = change.attributes ??
    record.lastAttributes ?? { friendly_name: record.def.name };
}

/** Counts transitions between two different real states; blips through unavailable do not. */
function count(record: EntityRecord, state: string, wrote: boolean): void {
  if (!wrote) {
    return;
  }

  record.lastState = state;
  if (!isRealState(state)) {
    return;
  }

  if (record.lastReal !== undefined && record.lastReal !== state) {
    record.changes++;
  }

  record.lastReal = state;
}

/**
 * Home Assistant stops and starts again: a new recorder run, every entity `unavailable` while
 * its integration loads, then its previous state and attributes again.
 */
function writeRestart(writer: RecorderWriter, records: EntityRecord[], restart: Restart): void {
  const random = new Random(Math.floor(restart.time / 1000));
  writer.writeEvent({ eventType: 'homeassistant_stop', time: restart.time });
  writer.endRun(restart.time + SECOND);
  writer.startRun(restart.time + 15 * SECOND);
  writer.writeEvent({ eventType: 'homeassistant_start', time: restart.time + 15 * SECOND });
  const loads = records
    .map((record) => ({
      record,
      at: restart.unavailableFrom + random.between(0, 5) * SECOND,
      back: restart.restoredBy - random.between(0, 20) * SECOND,
    }))
    .filter(({ record }) => record.lastState !== undefined);
  for (const { record, at } of [...loads].sort((a, b) => a.at - b.at)) {
    const result = writer.write({
      entityId: record.def.entityId,
      time: at,
      state: 'unavailable',
      attributes: { friendly_name: record.def.name },
      cause: 'device',
    });
    count(record, 'unavailable', result.kind !== 'reported');
  }

  for (const { record, back } of [...loads].sort((a, b) => a.back - b.back)) {
    const state = record.lastReal ?? 'unknown';
    const result = writer.write({
      entityId: record.def.entityId,
      time: back,
      state,
      attributes: record.lastAttributes,
      cause: 'device',
    });
    count(record, state, result.kind !== 'reported');
  }

  writer.writeEvent({ eventType: 'homeassistant_started', time: restart.restoredBy + SECOND });
}

interface TruthInput {
  settings: Required<SimulateOptions>;
  plan: HomePlan;
  presence: PresencePlan;
  household: Household;
  records: EntityRecord[];
  restarts: Restart[];
  occurrences: number[];
  location: HomeLocation;
  start: number;
  end: number;
}

const iso = (time: number) => new Date(Math.round(time)).toISOString();

function presenceIntervals(away: Span[], workFromHome: Span[], start: number, end: number) {
  const cuts = new Set<number>([start, end]);
  for (const span of [...away, ...workFromHome]) {
    cuts.add(Math.min(end, Math.max(start, span.start)));
    cuts.add(Math.min(end, Math.max(start, span.end)));
  }

  const times = [...cuts].sort((a, b) => a - b);
  const inside = (spans: Span[], t: number) => spans.some((s) => t >= s.start && t < s.end);
  const intervals: {
    start: string;
    end: string;
    state: 'home' | 'away';
    work_from_home: boolean;
  }[] = [];
  times.slice(1).forEach((next, i) => {
    const t = times[i] ?? start;
    const state = inside(away, t) ? 'away' : 'home';
    const wfh = state === 'home' && inside(workFromHome, t);
    const last = intervals.at(-1);
    if (last !== undefined && last.state === state && last.work_from_home === wfh) {
      last.end = iso(next);
    } else {
      intervals.push({ start: iso(t), end: iso(next), state, work_from_home: wfh });
    }
  });

  return intervals;
}

function buildTruth(input: TruthInput) {
  const { plan, household, records, start, end, presence } = input;
  const areaOfDevice = new Map(plan.devices.map((device) => [device.id, device.area]));

  return {
    version: TRUTH_VERSION,
    seed: input.settings.seed,
    start: iso(start),
    end: iso(end),
    time_zone: household.zone.name,
    latitude: input.location.latitude,
    longitude: input.location.longitude,
    days: input.settings.days,
    entities: records.map(({ def, changes }) => ({
      entity_id: def.entityId,
      domain: domainOf(def.entityId),
      area:
        def.ownArea ?? (def.deviceId === null ? null : (areaOfDevice.get(def.deviceId) ?? null)),
      name: def.name,
      role: def.role,
      home_only: def.homeOnly,
      changes,
    })),
    habits: plan.habits.map((habit, i) => ({ ...habit, occurrences: input.occurrences[i] ?? 0 })),
    presence_driven: plan.presenceDriven,
    sun_driven: plan.sunDriven,
    independent: plan.entities
      .filter((e) => e.role === 'independent' || e.role === 'numeric')
      .map((e) => e.entityId),
    coincidental: plan.coincidental,
    presence: {
      household: presenceIntervals(household.away, household.workFromHome, start, end),
      residents: presence.residents.map((resident) => ({
        slug: resident.slug,
        name: resident.name,
        person: `person.${resident.slug}`,
        device_tracker: `device_tracker.${resident.slug}_phone`,
        intervals: presenceIntervals(resident.away, resident.workFromHome, start, end),
      })),
    },
    calendar_wrong_days: presence.wrongDays,
    trip:
      presence.trip === null
        ? null
        : { first_day: formatDate(presence.trip.first), days: presence.trip.days },
    restarts: input.restarts.map((r) => ({
      stop: iso(r.time),
      unavailable_from: iso(r.unavailableFrom),
      restored_by: iso(r.restoredBy),
    })),
    dst_changes: household.zone.offsetChanges(start, end).map((c) => ({
      at: iso(c.time),
      offset_before_minutes: c.from / MINUTE,
      offset_after_minutes: c.to / MINUTE,
    })),
  };
}

export type Truth = ReturnType<typeof buildTruth>;
