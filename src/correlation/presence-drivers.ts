import { hasActivity, isActiveState } from '../home/index.js';
import type { HouseholdPresence } from '../presence/household.js';
import { homeMsPerHour, isHomeAt } from '../presence/household.js';
import { SENSOR_PRESENCE_SOURCE } from '../presence/sensor-presence.js';
import type { HomeHistory, HourGrid, Timeline } from '../timeline/index.js';
import {
  activeStatePredicate,
  addSpanToSlots,
  computeActivityIntervals,
  hourIndex,
} from '../timeline/index.js';
import type { AnalysisContext } from './context.js';
import { HOUSEHOLD_ENTITY_ID } from './household-streams.js';
import {
  adjustFalseDiscovery,
  logHypergeometricTail,
  logPoissonAtMost,
  supportFactor,
} from './significance.js';
import type { Relation, RelationEnd, SequentialRelation } from './types.js';

export type PresenceDriver = 'arrival' | 'departure' | 'work_from_home' | 'away' | 'home';

/**
 * When several drivers are about as confident, the most specific one names the device: a lock
 * unlocked a minute after every arrival is also used only at home, but "on arrival" is what an
 * automation needs to know.
 */
const DRIVER_ORDER: readonly PresenceDriver[] = [
  'arrival',
  'departure',
  'work_from_home',
  'away',
  'home',
];

/** Activity this close after an arrival counts as answering it. */
const ARRIVAL_WINDOW_S = 600;
/** Activity this close before or after a departure counts as part of leaving. */
const DEPARTURE_WINDOW_S = 300;
const DRIVEN_CONFIDENCE = 0.5;
/** Drivers this close to the most confident one count as equally confident. */
const CLOSE_CONFIDENCE = 0.1;
const HOUR_MS = 3_600_000;
const WORKDAYS = 5;
/** A workday counts for the work-from-home test when someone was home this long. */
const MIN_HOME_HOURS = 4;
const QUARTER_MS = 15 * 60_000;
const QUARTERS_PER_DAY = 96;
const DAY_MS = 86_400_000;
/** Quarter hour of the day × weekday or weekend: usage is compared within each. */
const STRATA = 2 * QUARTERS_PER_DAY;

/** Domains that are the presence itself, not something presence drives. */
const PRESENCE_DOMAINS = new Set(['person', 'device_tracker']);
/** The states of a zone: a group in one of them is a group of people, presence itself too. */
const ZONE_STATES = ['home', 'not_home'];

export interface PresenceDriverOptions {
  /**
   * Entities that only restate others (the aggregates of `computeEntityGroups`): their members'
   * analysis stands for them, so they are not judged again.
   */
  skip?: ReadonlySet<string>;
}

export interface PresenceAnchor {
  confidence: number;
  support: number;
  windowS: number;
  lagS: { median: number; p90: number };
}

export interface PresenceCorrelation {
  entityId: string;
  driver: PresenceDriver | null;
  presenceDriven: boolean;
  /** The chosen driver's confidence; without one, the highest any test reached. */
  confidence: number;
  /** Activations per hour spent home, away, and home on work-from-home days. */
  rates: { home: number; away: number; workFromHome: number | null };
  evidence: PresenceEvidence;
  /** The confidence each driver's own test reached. */
  drivers: Record<PresenceDriver, number>;
}

export interface PresenceEvidence {
  activations: number;
  home: number;
  away: number;
  workFromHome: number;
  hoursHome: number;
  hoursAway: number;
  hoursWorkFromHome: number;
  /** Activations away that the device's own hours of use predict, were presence no matter. */
  expectedAway: number;
  /** Workdays with someone home: those worked from home, the others, and on how many of each
   * the device was used. */
  workFromHomeDays: number;
  workFromHomeDaysUsed: number;
  otherDays: number;
  otherDaysUsed: number;
  arrival: PresenceAnchor | null;
  departure: PresenceAnchor | null;
}

/** Hours the household spent home and away in each stratum, and home on work-from-home days. */
interface Exposure {
  home: Float64Array;
  away: Float64Array;
  hoursWorkFromHome: number;
}

/**
 * For every entity with an on/off meaning, whether it is driven by the household being home,
 * away, working from home, arriving or leaving. Rates are compared within the same hour of day
 * (weekday or weekend), so a lamp used every evening is not "home-driven" just because evenings
 * are spent at home; see docs/presence.md.
 */
export function computePresenceDrivers(
  history: HomeHistory,
  context: AnalysisContext,
  relations: readonly Relation[],
  options: PresenceDriverOptions = {},
): PresenceCorrelation[] {
  const { household, grid } = context;
  if (household === undefined) {
    return [];
  }

  const exposure = computeExposure(household, grid);
  const zoneCodes = ZONE_STATES.flatMap((state) => history.states.find(state) ?? []);
  const measured = history.entities.flatMap((info, index) => {
    const timeline = history.timelines[index];
    if (
      timeline === undefined ||
      !hasActivity(info.domain) ||
      isPresenceItself(info.domain, timeline, zoneCodes) ||
      options.skip?.has(info.entityId) === true
    ) {
      return [];
    }

    const isActive = activeStatePredicate(info.domain, history.states);
    const activations = computeActivityIntervals(timeline, isActive).starts.filter(
      (start) => start > timeline.since,
    );
    const entity = measureEntity(info.entityId, activations, household, grid, exposure);
    return [definesPresence(household, info.domain) ? withoutRateTests(entity) : entity];
  });

  const tests = measured.flatMap((entity) => entity.tests);
  const qValues = adjustFalseDiscovery(
    tests.map((test) => test.pValue),
    tests.length,
  );
  tests.forEach((test, i) => {
    test.confidence = (1 - (qValues[i] ?? 1)) * supportFactor(test.evidence) * test.strength;
  });

  return measured.map((entity) => decide(entity, anchorsOf(entity.entityId, relations)));
}

interface RateTest {
  driver: 'home' | 'away' | 'work_from_home';
  pValue: number;
  /** How many events (or days) the verdict rests on. */
  evidence: number;
  /**
   * How large the effect is, 0 to 1: a device used 10 % less when away than its hours predict
   * can be significant over months, but it is not driven by presence.
   */
  strength: number;
  confidence: number;
}

interface MeasuredEntity {
  entityId: string;
  evidence: Omit<PresenceEvidence, 'arrival' | 'departure'>;
  tests: RateTest[];
}

/**
 * Hours home and away in each stratum, counted per quarter hour: a timer that fires at 08:00
 * sharp must be compared with who was home at 08:00, not over the hour in which people leave.
 */
function computeExposure(household: HouseholdPresence, grid: HourGrid): Exposure {
  const exposure: Exposure = {
    home: new Float64Array(STRATA),
    away: new Float64Array(STRATA),
    hoursWorkFromHome: 0,
  };
  const first = Math.max(grid.window.start, household.knownFrom);
  const homeMs = homeMsPerQuarter(household, first, grid.window.end);
  for (let q = 0; q < homeMs.length; q++) {
    const start = first + q * QUARTER_MS;
    const length = Math.min(QUARTER_MS, grid.window.end - start);
    const s = stratumAt(grid, start);
    const home = (homeMs[q] ?? 0) / HOUR_MS;
    exposure.home[s] = (exposure.home[s] ?? 0) + home;
    exposure.away[s] = (exposure.away[s] ?? 0) + length / HOUR_MS - home;
    if (household.workFromHomeDays.has(grid.day[hourIndex(grid, start)] ?? -1)) {
      exposure.hoursWorkFromHome += home;
    }
  }

  return exposure;
}

/** Milliseconds someone was home in each quarter hour from `first` to `end`. */
function homeMsPerQuarter(household: HouseholdPresence, first: number, end: number): Float64Array {
  const homeMs = new Float64Array(Math.max(0, Math.ceil((end - first) / QUARTER_MS)));
  for (let i = 0; i < household.home.length; i++) {
    const span = { start: household.home.starts[i] ?? 0, end: household.home.ends[i] ?? 0 };
    addSpanToSlots(homeMs, span, first, QUARTER_MS);
  }

  return homeMs;
}

/** The local quarter hour of the day, on a weekday or at the weekend. */
function stratumAt(grid: HourGrid, time: number): number {
  const h = hourIndex(grid, time);
  const local = time + (grid.offsetMinutes[h] ?? 0) * 60_000;
  const quarterOfDay = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / QUARTER_MS);
  const weekend = (grid.hourOfWeek[h] ?? 0) >= WORKDAYS * 24 ? 1 : 0;
  return quarterOfDay + QUARTERS_PER_DAY * weekend;
}

/**
 * When presence was inferred from the silence of the home's own sensors, those sensors are
 * "used only at home" by construction; only their anchoring to arrivals and departures says
 * anything.
 */
/** `zoneCodes`: the state codes of `home` and `not_home` in the history's state table. */
function isPresenceItself(
  domain: string,
  timeline: Timeline,
  zoneCodes: readonly number[],
): boolean {
  if (PRESENCE_DOMAINS.has(domain)) {
    return true;
  }

  const inZoneState = (code: number) => zoneCodes.includes(code);
  return domain === 'group' && (inZoneState(timeline.initial) || timeline.states.some(inZoneState));
}

function definesPresence(household: HouseholdPresence, domain: string): boolean {
  return household.source === SENSOR_PRESENCE_SOURCE && domain === 'binary_sensor';
}

function withoutRateTests(entity: MeasuredEntity): MeasuredEntity {
  return { ...entity, tests: entity.tests.map((test) => ({ ...test, pValue: 1, strength: 0 })) };
}

function measureEntity(
  entityId: string,
  activations: Float64Array,
  household: HouseholdPresence,
  grid: HourGrid,
  exposure: Exposure,
): MeasuredEntity {
  const { home, away, workFromHome } = countActivations(activations, household, grid);
  const expectedAway = expectAway(home, away, exposure);
  const observedHome = sum(home);
  const observedAway = sum(away);
  const expectedHome = observedHome + observedAway - expectedAway;
  const days = countUsedDays(activations, household, grid);
  const evidence = {
    activations: observedHome + observedAway,
    home: observedHome,
    away: observedAway,
    workFromHome,
    hoursHome: sum(exposure.home),
    hoursAway: sum(exposure.away),
    hoursWorkFromHome: exposure.hoursWorkFromHome,
    expectedAway,
    workFromHomeDays: days.workFromHome,
    workFromHomeDaysUsed: days.workFromHomeUsed,
    otherDays: days.other,
    otherDaysUsed: days.otherUsed,
  };
  const tests: RateTest[] = [
    testShortfall('home', observedAway, expectedAway),
    testShortfall('away', observedHome, expectedHome),
    testWorkFromHome(days),
  ];
  return { entityId, evidence, tests };
}

/** Activations per stratum at home and away, and how many fell on work-from-home days. */
function countActivations(activations: Float64Array, household: HouseholdPresence, grid: HourGrid) {
  const home = new Float64Array(STRATA);
  const away = new Float64Array(STRATA);
  let workFromHome = 0;
  for (const time of activations) {
    const atHome = isHomeAt(household, time);
    if (atHome === undefined) {
      continue;
    }

    const s = stratumAt(grid, time);
    const counts = atHome ? home : away;
    counts[s] = (counts[s] ?? 0) + 1;
    const day = grid.day[hourIndex(grid, time)] ?? -1;
    if (atHome && household.workFromHomeDays.has(day)) {
      workFromHome++;
    }
  }

  return { home, away, workFromHome };
}

/**
 * Driven by `driver` when the activations in the other state fall far short of what the
 * device's own hours predict: a Poisson lower tail.
 */
function testShortfall(driver: 'home' | 'away', observed: number, expected: number): RateTest {
  return {
    driver,
    pValue: Math.exp(logPoissonAtMost(observed, expected)),
    evidence: expected,
    strength: shortfall(observed, expected),
    confidence: 0,
  };
}

/**
 * How many activations would fall in hours away if the device kept its own habits whatever the
 * household did: in each stratum, its activations there shared out by the hours spent away
 * against those spent home.
 */
function expectAway(home: Float64Array, away: Float64Array, exposure: Exposure): number {
  let expected = 0;
  for (let s = 0; s < STRATA; s++) {
    const hoursAway = exposure.away[s] ?? 0;
    const hours = hoursAway + (exposure.home[s] ?? 0);
    if (hours > 0) {
      expected += (((home[s] ?? 0) + (away[s] ?? 0)) * hoursAway) / hours;
    }
  }

  return expected;
}

/** How far short of the expected count the observed one fell, 0 to 1. */
function shortfall(observed: number, expected: number): number {
  return expected > 0 ? Math.max(0, 1 - observed / expected) : 0;
}

interface DayUsage {
  workFromHome: number;
  workFromHomeUsed: number;
  other: number;
  otherUsed: number;
}

/**
 * Workdays on which someone was home for at least `MIN_HOME_HOURS`, split into work-from-home
 * days and the others, and on how many of each the device was switched on. Days, not
 * activations, are the unit: a desk monitor switched on once per home-office day is as
 * telling as one switched on ten times.
 */
function countUsedDays(
  activations: Float64Array,
  household: HouseholdPresence,
  grid: HourGrid,
): DayUsage {
  const homeHours = new Map<number, number>();
  const homeMs = homeMsPerHour(household, grid);
  for (let h = 0; h < homeMs.length; h++) {
    if ((grid.hourOfWeek[h] ?? 0) < WORKDAYS * 24) {
      const day = grid.day[h] ?? 0;
      homeHours.set(day, (homeHours.get(day) ?? 0) + (homeMs[h] ?? 0) / HOUR_MS);
    }
  }

  const used = new Set(activations.map((time) => grid.day[hourIndex(grid, time)] ?? -1));
  const usage: DayUsage = { workFromHome: 0, workFromHomeUsed: 0, other: 0, otherUsed: 0 };
  for (const [day, hours] of homeHours) {
    if (hours < MIN_HOME_HOURS) {
      continue;
    }

    const kind = household.workFromHomeDays.has(day) ? 'workFromHome' : 'other';
    usage[kind]++;
    if (used.has(day)) {
      usage[kind === 'workFromHome' ? 'workFromHomeUsed' : 'otherUsed']++;
    }
  }

  return usage;
}

/** Used on more of the work-from-home days than the other home workdays: Fisher's exact test. */
function testWorkFromHome(days: DayUsage): RateTest {
  const population = days.workFromHome + days.other;
  const usedDays = days.workFromHomeUsed + days.otherUsed;
  const share = (used: number, of: number) => (of > 0 ? used / of : 0);
  return {
    driver: 'work_from_home',
    pValue: Math.exp(
      logHypergeometricTail(days.workFromHomeUsed, days.workFromHome, usedDays, population),
    ),
    evidence: days.workFromHomeUsed,
    strength: Math.max(
      0,
      share(days.workFromHomeUsed, days.workFromHome) - share(days.otherUsed, days.other),
    ),
    confidence: 0,
  };
}

function sum(values: Float64Array): number {
  return values.reduce((total, value) => total + value, 0);
}

interface Anchors {
  arrival: PresenceAnchor | null;
  departure: PresenceAnchor | null;
}

/**
 * The strongest arrival- and departure-anchored relations found for the entity: with the
 * household's own arrivals and departures, or with one resident's (the garage door opens for
 * whoever drives to work, though the other stays home).
 */
function anchorsOf(entityId: string, relations: readonly Relation[]): Anchors {
  const sequential = relations.filter((r): r is SequentialRelation => r.kind === 'sequential');
  const best = (matches: (r: SequentialRelation) => boolean) => {
    const found = sequential.filter(matches).sort((x, y) => y.confidence - x.confidence)[0];
    return found === undefined
      ? null
      : {
          confidence: found.confidence,
          support: found.support,
          windowS: found.windowS,
          lagS: found.lagS,
        };
  };

  return {
    arrival: best(
      (r) =>
        presenceEventOf(r.a) === 'arrival' &&
        r.b.entityId === entityId &&
        r.windowS <= ARRIVAL_WINDOW_S,
    ),
    departure: best(
      (r) =>
        ((presenceEventOf(r.a) === 'departure' && r.b.entityId === entityId) ||
          (presenceEventOf(r.b) === 'departure' && r.a.entityId === entityId)) &&
        r.windowS <= DEPARTURE_WINDOW_S,
    ),
  };
}

/** Whether one end of a relation is someone coming home or leaving. */
function presenceEventOf(end: RelationEnd): 'arrival' | 'departure' | null {
  if (end.entityId === HOUSEHOLD_ENTITY_ID) {
    return end.state === 'arrival' || end.state === 'departure' ? end.state : null;
  }

  const domain = end.entityId.slice(0, end.entityId.indexOf('.'));
  if (!PRESENCE_DOMAINS.has(domain)) {
    return null;
  }

  return isActiveState(domain, end.state) === true ? 'arrival' : 'departure';
}

function decide(entity: MeasuredEntity, anchors: Anchors): PresenceCorrelation {
  const drivers: Record<PresenceDriver, number> = {
    arrival: anchors.arrival?.confidence ?? 0,
    departure: anchors.departure?.confidence ?? 0,
    work_from_home: 0,
    away: 0,
    home: 0,
  };
  for (const test of entity.tests) {
    drivers[test.driver] = test.confidence;
  }

  const driver = chooseDriver(drivers);
  const { evidence } = entity;
  return {
    entityId: entity.entityId,
    driver,
    presenceDriven: driver !== null,
    confidence: driver === null ? Math.max(...Object.values(drivers)) : drivers[driver],
    rates: {
      home: perHour(evidence.home, evidence.hoursHome),
      away: perHour(evidence.away, evidence.hoursAway),
      workFromHome:
        evidence.hoursWorkFromHome > 0
          ? perHour(evidence.workFromHome, evidence.hoursWorkFromHome)
          : null,
    },
    evidence: { ...evidence, ...anchors },
    drivers,
  };
}

/**
 * The most confident driver, unless a more specific one comes close: the lock that is unlocked
 * after every arrival is also, less tellingly, only used at home.
 */
function chooseDriver(drivers: Record<PresenceDriver, number>): PresenceDriver | null {
  const best = Math.max(...Object.values(drivers));
  if (best < DRIVEN_CONFIDENCE) {
    return null;
  }

  return DRIVER_ORDER.find((name) => drivers[name] >= best - CLOSE_CONFIDENCE) ?? null;
}

function perHour(count: number, hours: number): number {
  return hours > 0 ? count / hours : 0;
}
