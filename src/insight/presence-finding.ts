import type {
  PresenceCorrelation,
  PresenceDriver,
  Relation,
  SequentialRelation,
} from '../correlation/index.js';
import { HOUSEHOLD_ENTITY_ID } from '../correlation/index.js';
import { isActiveState } from '../home/index.js';
import { lastAtOrBefore } from '../timeline/index.js';
import { computeEntries } from './_lib/entries.js';
import type { HomeView } from './_lib/home-clock.js';
import { isSomeoneHomeAt, localMinuteOf } from './_lib/home-clock.js';
import { commonStateOf } from './_lib/states.js';
import type { Rule, RuleAction, RuleTrigger } from './automation.js';
import { canAct } from './automation.js';
import { computeBacktest } from './backtest.js';
import { computeConditions, computeTriggerEvents, holdsAll, timesWhereAll } from './conditions.js';
import { explainPresence } from './explain.js';
import type { Finding } from './finding.js';
import { computePatternTags } from './patterns.js';
import { wordsFor } from './relation-finding.js';
import { DOMAIN_USEFULNESS, serviceFor } from './services.js';
import { formatDuration, formatMinuteOfDay } from './_lib/words.js';
import type { Condition, Pattern } from './types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The window a presence rule's replay allows the person to do the same by hand. */
const WINDOW_MS: Readonly<Record<PresenceDriver, number>> = {
  arrival: 10 * MINUTE_MS,
  departure: 5 * MINUTE_MS,
  away: HOUR_MS,
  home: 15 * MINUTE_MS,
  work_from_home: 2 * HOUR_MS,
};
const PRESENCE_USEFULNESS = 0.9;
/** Alerts on a device used only at home are worth less than acting on one. */
const ALERT_USEFULNESS = 0.4;

/** What a presence rule acts on, fires at, and is judged by. */
interface PresencePlan {
  rule: Rule;
  fireTimes: number[];
  /** The state the replay checks: the target's for `set`, the device's own for alerts. */
  state: string;
}

/** A presence-driven device typed, explained, turned into a rule and replayed. */
export function computePresenceFinding(
  view: HomeView,
  found: PresenceCorrelation,
  relations: readonly Relation[],
  explained: ReadonlySet<string>,
): Finding | null {
  const planned = planOf(view, found, relations);
  if (planned === null) {
    return null;
  }

  const { driver, plan } = planned;
  const pattern = presencePattern(view, found, plan);
  if (driver === 'home' && explained.has(found.entityId)) {
    // A lamp answering a motion sensor is used only at home because the sensor is: the
    // relation's automation says more than "only at home" would.
    return { pattern, rule: null, backtest: null, usefulness: 0, reason: 'explained' };
  }

  const target = view.timelines.get(found.entityId);
  const backtest =
    target === undefined || plan.rule.action.kind === 'notify'
      ? alertBacktest(plan)
      : computeBacktest({
          fireTimes: plan.fireTimes,
          target,
          targetCode: view.history.states.find(plan.state),
          entries: computeEntries(target, view.history, plan.state),
          windowMs: WINDOW_MS[driver],
        });
  const usefulness =
    plan.rule.action.kind === 'notify'
      ? ALERT_USEFULNESS
      : PRESENCE_USEFULNESS * (DOMAIN_USEFULNESS[domainOf(found.entityId)] ?? 0.5);
  return { pattern, rule: plan.rule, backtest, usefulness, title: titleOf(view, plan) };
}

/** A presence-driven device typed and explained, without the replay of its rule. */
export function computePresencePattern(
  view: HomeView,
  found: PresenceCorrelation,
  relations: readonly Relation[],
): Pattern | null {
  const planned = planOf(view, found, relations);
  return planned === null ? null : presencePattern(view, found, planned.plan);
}

function planOf(
  view: HomeView,
  found: PresenceCorrelation,
  relations: readonly Relation[],
): { driver: PresenceDriver; plan: PresencePlan } | null {
  const driver = found.driver;
  if (driver === null || view.residents.length === 0) {
    // TODO(sensor-presence-rules): homes whose presence is inferred from doors have no person
    // entity to trigger on; it goes once the exit door can stand in as the trigger.
    return null;
  }

  const plan = PLANNERS[driver](view, found.entityId, relations);
  return plan === null ? null : { driver, plan };
}

/** The imperative that opens a title, by the service the rule calls. */
const SERVICE_VERBS: Readonly<Record<string, string>> = {
  turn_on: 'Turn on',
  turn_off: 'Turn off',
  open_cover: 'Open',
  close_cover: 'Close',
  lock: 'Lock',
  unlock: 'Unlock',
  start: 'Start',
  media_play: 'Play',
  alarm_arm_away: 'Arm',
  alarm_arm_home: 'Arm',
  alarm_arm_night: 'Arm',
  alarm_arm_vacation: 'Arm',
};

/** "Close Garage door when the last person leaves": what the rule does, in words. */
function titleOf(view: HomeView, plan: PresencePlan): string {
  const { action, triggers } = plan.rule;
  const [trigger] = triggers;
  if (trigger === undefined) {
    return 'Act on presence';
  }

  if (action.kind === 'notify') {
    const id = trigger.kind === 'state' ? String(trigger.entityId) : '';
    const name = view.infos.get(id)?.name ?? id;
    return `Tell the household when ${name} is used while nobody is home`;
  }

  const name = view.infos.get(action.entityId)?.name ?? action.entityId;
  const service = serviceFor(domainOf(action.entityId), action.state)?.action ?? '';
  const verb = SERVICE_VERBS[service.slice(service.indexOf('.') + 1)] ?? `Set ${action.state} on`;
  return `${verb} ${name} ${whenOf(trigger, plan.rule.conditions)}`;
}

function whenOf(trigger: RuleTrigger, conditions: readonly Condition[]): string {
  if (trigger.kind === 'calendar') {
    const minutes = Math.round(Math.abs(trigger.offsetS) / 60);
    const side = trigger.offsetS < 0 ? 'before' : 'after';
    return minutes === 0
      ? 'when a calendar away event ends'
      : `${minutes} min ${side} a calendar away event ends`;
  }

  if (trigger.kind === 'time') {
    return `at ${formatMinuteOfDay(trigger.atMin)} on weekdays when someone is home`;
  }

  if (trigger.to === 'home') {
    return 'when someone comes home';
  }

  const who = conditions.some((c) => c.kind === 'nobody_home') ? 'the last person' : 'someone';
  return trigger.forS === undefined
    ? `when ${who} leaves`
    : `${formatDuration(trigger.forS)} after ${who} leaves`;
}

function presencePattern(view: HomeView, found: PresenceCorrelation, plan: PresencePlan): Pattern {
  const driver = found.driver ?? 'home';
  const device = wordsFor(view, { entityId: found.entityId, state: plan.state });
  const info = view.infos.get(found.entityId);
  const texts = explainPresence(device, found);
  return {
    key: `presence:${found.entityId}:${driver}`,
    source: 'presence',
    trigger: { entityId: HOUSEHOLD_ENTITY_ID, state: driver },
    response: { entityId: found.entityId, state: plan.state },
    driver,
    types: computePatternTags({
      trigger: undefined,
      response: info,
      sequential: driver === 'arrival' || driver === 'departure' ? { strength: 1 } : null,
      presence: { strength: found.confidence },
      conditions: plan.rule.conditions,
      confidence: found.confidence,
    }),
    conditions: plan.rule.conditions,
    evidence: null,
    confidence: found.confidence,
    support: found.evidence.activations,
    alreadyAutomated: false,
    ...texts,
  };
}

type Planner = (
  view: HomeView,
  entityId: string,
  relations: readonly Relation[],
) => PresencePlan | null;

const PLANNERS: Readonly<Record<PresenceDriver, Planner>> = {
  arrival: planArrival,
  departure: planDeparture,
  away: planAway,
  home: planHome,
  work_from_home: planWorkFromHome,
};

/**
 * Where a Home Assistant calendar says the household will be back: the ends of its away events
 * and how long after them the household really came home (see `calibrateCalendar`).
 */
export interface CalendarHint {
  /** The calendar entity, e.g. `calendar.family`. */
  entityId: string;
  /** When its away events ended, over the history; epoch ms. */
  awayEnds: readonly number[];
  /** How long after an away event's end the household came home, median, ms. */
  arrivalLagMs: number;
}

/**
 * Devices that may be started ahead of someone coming home: they prepare the home. A lock or a
 * cover never acts on a prediction; it waits for the person.
 */
const PREPARING_DOMAINS = new Set([
  'climate',
  'fan',
  'humidifier',
  'input_boolean',
  'light',
  'media_player',
  'switch',
  'water_heater',
]);

/**
 * An arrival-driven device set at the arrival the calendar predicts, rather than when the
 * phone says someone is back: `trigger: calendar` on the end of an away event, offset by the
 * household's usual lag. Replayed over the calendar's own past away events.
 */
export function computeCalendarArrivalFinding(
  view: HomeView,
  found: PresenceCorrelation,
  relations: readonly Relation[],
  hint: CalendarHint,
): Finding | null {
  if (found.driver !== 'arrival' || !PREPARING_DOMAINS.has(domainOf(found.entityId))) {
    return null;
  }

  const plan = planArrival(view, found.entityId, relations);
  const target = view.timelines.get(found.entityId);
  if (plan === null || target === undefined) {
    return null;
  }

  const offsetS = Math.round(hint.arrivalLagMs / 60_000) * 60;
  const trigger: RuleTrigger = { kind: 'calendar', entityId: hint.entityId, event: 'end', offsetS };
  const rule: Rule = { ...plan.rule, triggers: [trigger] };
  const fireTimes = hint.awayEnds
    .map((end) => end + offsetS * 1000)
    .filter((time) => holdsAll(view, plan.rule.conditions, time));
  const backtest = computeBacktest({
    fireTimes,
    target,
    targetCode: view.history.states.find(plan.state),
    entries: computeEntries(target, view.history, plan.state),
    windowMs: WINDOW_MS.arrival,
  });
  const usefulness = PRESENCE_USEFULNESS * (DOMAIN_USEFULNESS[domainOf(found.entityId)] ?? 0.5);
  const calendarPlan = { rule, fireTimes, state: plan.state };
  const pattern = presencePattern(view, found, calendarPlan);
  return {
    // Its own key: beside the rule on the phone's arrival, not a twin of it.
    pattern: { ...pattern, key: `${pattern.key}:calendar` },
    rule,
    backtest,
    usefulness,
    title: titleOf(view, calendarPlan),
  };
}

/** Someone comes home: set the state the device took after arrivals, under the conditions found. */
function planArrival(
  view: HomeView,
  entityId: string,
  relations: readonly Relation[],
): PresencePlan | null {
  const anchor = anchorOf(relations, entityId, 'arrival');
  const state = anchor?.b.state ?? commonStateOf(view, entityId, true);
  const target = view.timelines.get(entityId);
  if (state === null || target === undefined) {
    return null;
  }

  const windowMs = (anchor?.windowS ?? WINDOW_MS.arrival / 1000) * 1000;
  const entries = computeEntries(target, view.history, state);
  const events = computeTriggerEvents(view, view.arrivals, entries, windowMs);
  const conditions = computeConditions(view, events).filter((c) => c.kind !== 'recent_arrival');
  const rule = setRule(view, residentsTrigger(view, 'home'), conditions, entityId, state);
  const fireTimes = timesWhereAll(events, conditions);
  return rule === null ? null : { rule, fireTimes, state };
}

/**
 * Someone leaves: set the state the device is left in. When the device answered the household
 * emptying, only the last person leaving counts; when it answered one resident leaving (the
 * garage door for whoever drives to work), every resident leaving does.
 */
function planDeparture(
  view: HomeView,
  entityId: string,
  relations: readonly Relation[],
): PresencePlan | null {
  const state = departureStateOf(relations, entityId) ?? commonStateOf(view, entityId, false);
  const resident = departingResidentOf(relations, entityId);
  const conditions: Condition[] = resident === null ? [{ kind: 'nobody_home' }] : [];
  const rule =
    state === null
      ? null
      : setRule(view, residentsTrigger(view, 'not_home'), conditions, entityId, state);
  const fireTimes =
    resident === null
      ? Array.from(view.context.household?.departures ?? [])
      : view.residents.flatMap((person) => timesEntering(view, person, 'not_home'));
  return rule === null || state === null
    ? null
    : { rule, fireTimes: fireTimes.sort((x, y) => x - y), state };
}

/** The resident whose leaving the device's strongest departure relation answers, if not all. */
function departingResidentOf(relations: readonly Relation[], entityId: string): string | null {
  const strongest = relationsOf(relations, entityId)
    .filter((r) => r.kind === 'sequential' && isDepartureRelation(r, entityId))
    .sort((x, y) => y.confidence - x.confidence)[0];
  const other = strongest?.a.entityId === entityId ? strongest.b : strongest?.a;
  return other !== undefined && domainOf(other.entityId) === 'person' ? other.entityId : null;
}

/** When an entity entered `state`. */
function timesEntering(view: HomeView, entityId: string, state: string): number[] {
  const timeline = view.timelines.get(entityId);
  const code = view.history.states.find(state);
  if (timeline === undefined || code === undefined) {
    return [];
  }

  return Array.from(timeline.times).filter((_, i) => timeline.states[i] === code);
}

/**
 * The home has been empty a while: start the device, after the delay it usually waited. The
 * delay is the median time from the household leaving to the device starting.
 */
function planAway(view: HomeView, entityId: string): PresencePlan | null {
  const state = commonStateOf(view, entityId, true);
  const target = view.timelines.get(entityId);
  const departures = view.context.household?.departures ?? new Float64Array(0);
  if (state === null || target === undefined) {
    return null;
  }

  const starts = computeEntries(target, view.history, state).times;
  const delays = Array.from(starts)
    .filter((t) => isSomeoneHomeAt(view, t) === false)
    .map((t) => t - (departures[lastAtOrBefore(departures, t)] ?? t))
    .filter((delay) => delay > 0)
    .sort((a, b) => a - b);
  const delayMs = roundTo(delays[Math.floor(delays.length / 2)] ?? HOUR_MS, 5 * MINUTE_MS);
  const trigger = { ...residentsTrigger(view, 'not_home'), forS: delayMs / 1000 };
  const rule = setRule(view, trigger, [{ kind: 'nobody_home' }], entityId, state);
  const fireTimes = Array.from(departures)
    .map((t) => t + delayMs)
    .filter((t) => isSomeoneHomeAt(view, t) === false);
  return rule === null ? null : { rule, fireTimes, state };
}

/**
 * Used only while someone is home: switch it off when the last person leaves, or, for a sensor,
 * tell the household when it is used while nobody is.
 */
function planHome(view: HomeView, entityId: string): PresencePlan | null {
  const off = commonStateOf(view, entityId, false);
  if (off !== null && canAct({ kind: 'set', entityId, state: off })) {
    return planDeparture(view, entityId, []);
  }

  const on = commonStateOf(view, entityId, true);
  const target = view.timelines.get(entityId);
  if (on === null || target === undefined) {
    return null;
  }

  const name = view.infos.get(entityId)?.name ?? entityId;
  const action: RuleAction = { kind: 'notify', message: `${name}: ${on} while nobody is home` };
  const rule: Rule = {
    triggers: [{ kind: 'state', entityId, to: on }],
    conditions: [{ kind: 'nobody_home' }],
    action,
    residents: view.residents,
  };
  const fireTimes = Array.from(computeEntries(target, view.history, on).times).filter(
    (t) => isSomeoneHomeAt(view, t) === false,
  );
  return { rule, fireTimes, state: on };
}

/** Home-office days: switch it on on weekday mornings with someone home, at its usual time. */
function planWorkFromHome(view: HomeView, entityId: string): PresencePlan | null {
  const state = commonStateOf(view, entityId, true);
  const target = view.timelines.get(entityId);
  const days = view.context.household?.workFromHomeDays ?? new Set<number>();
  if (state === null || target === undefined) {
    return null;
  }

  const firstUses = firstUsePerDay(view, computeEntries(target, view.history, state).times, days);
  const atMin = roundTo(firstUses[Math.floor(firstUses.length / 2)] ?? 9 * 60, 5);
  const conditions: Condition[] = [{ kind: 'weekdays' }, { kind: 'someone_home' }];
  const rule = setRule(view, { kind: 'time', atMin }, conditions, entityId, state);
  const fireTimes = dailyTimes(view, atMin).filter((t) => holdsAll(view, conditions, t));
  return rule === null ? null : { rule, fireTimes, state };
}

/** Local minute of the first use on each of `days`, ascending. */
function firstUsePerDay(view: HomeView, starts: Float64Array, days: ReadonlySet<number>): number[] {
  const { grid } = view.context;
  const first = new Map<number, number>();
  for (const time of starts) {
    const day = grid.day[Math.floor((time - grid.window.start) / HOUR_MS)] ?? -1;
    if (days.has(day) && !first.has(day)) {
      first.set(day, localMinuteOf(view, time));
    }
  }

  return [...first.values()].sort((a, b) => a - b);
}

/** Every moment in the window at local time `atMin`. */
function dailyTimes(view: HomeView, atMin: number): number[] {
  const { grid } = view.context;
  const times: number[] = [];
  grid.hourOfWeek.forEach((hourOfWeek, h) => {
    if (hourOfWeek % 24 === Math.floor(atMin / 60)) {
      times.push(grid.window.start + h * HOUR_MS + (atMin % 60) * MINUTE_MS);
    }
  });
  return times;
}

function residentsTrigger(view: HomeView, to: string): RuleTrigger {
  return { kind: 'state', entityId: [...view.residents], to };
}

function setRule(
  view: HomeView,
  trigger: RuleTrigger,
  conditions: Condition[],
  entityId: string,
  state: string,
): Rule | null {
  const action: RuleAction = { kind: 'set', entityId, state };
  return canAct(action)
    ? { triggers: [trigger], conditions, action, residents: view.residents }
    : null;
}

/**
 * Each list of relations by the entities at its ends, in the list's order. Every presence driver
 * looks up its device's few relations; searching the whole list for each took most of a
 * driver's time in a home of 1,000 entities (1,300 relations, 700 drivers), so a list is indexed
 * the first time a driver asks and kept while the list itself is.
 */
const RELATIONS_BY_ENTITY = new WeakMap<readonly Relation[], Map<string, Relation[]>>();

function relationsOf(relations: readonly Relation[], entityId: string): readonly Relation[] {
  let index = RELATIONS_BY_ENTITY.get(relations);
  if (index === undefined) {
    index = new Map();
    for (const relation of relations) {
      const { a, b } = relation;
      for (const end of a.entityId === b.entityId ? [a.entityId] : [a.entityId, b.entityId]) {
        const named = index.get(end);
        if (named === undefined) {
          index.set(end, [relation]);
        } else {
          named.push(relation);
        }
      }
    }

    RELATIONS_BY_ENTITY.set(relations, index);
  }

  return index.get(entityId) ?? [];
}

/** The strongest relation tying the device to someone coming home or leaving. */
function anchorOf(
  relations: readonly Relation[],
  entityId: string,
  event: 'arrival',
): SequentialRelation | undefined {
  return relationsOf(relations, entityId)
    .filter(
      (r): r is SequentialRelation =>
        r.kind === 'sequential' &&
        r.b.entityId === entityId &&
        r.windowS <= WINDOW_MS.arrival / 1000 &&
        isActiveState(domainOf(entityId), r.b.state) === true &&
        ((r.a.entityId === HOUSEHOLD_ENTITY_ID && r.a.state === event) ||
          (domainOf(r.a.entityId) === 'person' && r.a.state === 'home')),
    )
    .sort((x, y) => y.confidence - x.confidence)[0];
}

/** The state the device takes around departures; its inactive one when it takes both. */
function departureStateOf(relations: readonly Relation[], entityId: string): string | null {
  const states = relationsOf(relations, entityId)
    .filter((r) => r.kind === 'sequential' && isDepartureRelation(r, entityId))
    .map((r) => (r.a.entityId === entityId ? r.a.state : r.b.state));
  const inactive = states.find((state) => INACTIVE_STATES.has(state));
  return inactive ?? states[0] ?? null;
}

const INACTIVE_STATES = new Set(['off', 'closed', 'locked', 'docked', 'idle']);

function isDepartureRelation(relation: Relation, entityId: string): boolean {
  return (
    (relation.a.entityId === entityId && isLeaving(relation.b)) ||
    (relation.b.entityId === entityId && isLeaving(relation.a))
  );
}

function isLeaving(end: { entityId: string; state: string }): boolean {
  return (
    (end.entityId === HOUSEHOLD_ENTITY_ID && end.state === 'departure') ||
    (domainOf(end.entityId) === 'person' && end.state === 'not_home')
  );
}

/** An alert is right when it fires at all: the device is used only at home. */
function alertBacktest(plan: PresencePlan): Finding['backtest'] {
  const fired = plan.fireTimes.length;
  return { fired, matched: 0, wrong: fired, missed: 0, precision: null, recall: null };
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}
