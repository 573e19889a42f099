import type { CoActivityRelation, SequentialRelation } from '../correlation/index.js';
import { isActiveState } from '../home/index.js';
import type { Entries } from './_lib/entries.js';
import { computeEntries } from './_lib/entries.js';
import type { HomeView } from './_lib/home-clock.js';
import { usualPreviousState } from './_lib/states.js';
import type { Rule } from './automation.js';
import { canAct } from './automation.js';
import { computeBacktest } from './backtest.js';
import type { TriggerEvents } from './conditions.js';
import {
  computeConditions,
  computeTriggerEvents,
  summarizeEvents,
  timesWhereAll,
} from './conditions.js';
import type { EndWords } from './explain.js';
import { explainCoActivity, explainSequence } from './explain.js';
import type { Finding } from './finding.js';
import { computePatternTags } from './patterns.js';
import { DOMAIN_USEFULNESS } from './services.js';
import type { Condition, Pattern } from './types.js';

/** Triggers that are presence itself: presence findings cover them. */
const PRESENCE_DOMAINS = new Set(['person', 'device_tracker', 'zone']);
/** Turning B off when A turns on is a habit only when it is prompt; later, it is tidying up. */
const MIXED_POLARITY_MAX_LAG_S = 60;
const POLARITY_USEFULNESS = { same: 1, bothOff: 0.8, mixed: 0.3 } as const;

export function relationKey(relation: { a: EndKey; b: EndKey }, joiner = '>'): string {
  const { a, b } = relation;
  return `${a.entityId}:${a.state}${joiner}${b.entityId}:${b.state}`;
}

interface EndKey {
  entityId: string;
  state: string;
}

export function wordsFor(view: HomeView, end: EndKey): EndWords {
  const info = view.infos.get(end.entityId);
  return {
    name: info?.name ?? end.entityId,
    state: end.state,
    deviceClass: info?.deviceClass ?? null,
  };
}

/** A sequential relation typed, explained, turned into a rule and replayed. */
export function computeSequentialFinding(view: HomeView, relation: SequentialRelation): Finding {
  return withRule(view, relation, typeSequence(view, relation));
}

/** A sequential relation typed and explained, without the rule and its replay. */
export function computeSequentialPattern(view: HomeView, relation: SequentialRelation): Pattern {
  return typeSequence(view, relation).pattern;
}

/** A typed relation's pattern, with the trigger events it was judged on, for its replay. */
interface TypedSequence {
  pattern: Pattern;
  events: TriggerEvents;
  responseEntries: Entries;
}

function typeSequence(view: HomeView, relation: SequentialRelation): TypedSequence {
  const trigger = view.timelines.get(relation.a.entityId);
  const response = view.timelines.get(relation.b.entityId);
  if (trigger === undefined || response === undefined) {
    throw new RangeError(`relation ${relationKey(relation)} names an entity not in the history`);
  }

  const triggerEntries = computeEntries(trigger, view.history, relation.a.state);
  const responseEntries = computeEntries(response, view.history, relation.b.state);
  const events = computeTriggerEvents(
    view,
    triggerEntries.times,
    responseEntries,
    relation.windowS * 1000,
  );
  const conditions = computeConditions(view, events);
  const evidence = summarizeEvents(events, conditions);
  const texts = explainSequence(
    wordsFor(view, relation.a),
    wordsFor(view, relation.b),
    evidence,
    conditions,
    relation.expected,
  );
  const pattern: Pattern = {
    key: relationKey(relation),
    source: 'relation',
    trigger: { ...relation.a },
    response: { ...relation.b },
    driver: null,
    types: computePatternTags({
      trigger: view.infos.get(relation.a.entityId),
      response: view.infos.get(relation.b.entityId),
      sequential: { strength: ratio(evidence.inside.followed, evidence.inside.triggers) },
      presence: hasPresenceCondition(conditions) ? { strength: 1 } : null,
      conditions,
      confidence: relation.confidence,
    }),
    conditions,
    evidence,
    confidence: relation.confidence,
    support: relation.support,
    alreadyAutomated: relation.alreadyAutomated,
    ...texts,
  };
  return { pattern, events, responseEntries };
}

function withRule(view: HomeView, relation: SequentialRelation, typed: TypedSequence): Finding {
  const { pattern, events, responseEntries } = typed;
  const usefulness = usefulnessOf(relation);
  const reason = whyNotActionable(relation, usefulness);
  if (reason !== null) {
    return { pattern, rule: null, backtest: null, usefulness, reason };
  }

  const from = usualPreviousState(view, relation.a.entityId, relation.a.state);
  const rule: Rule = {
    triggers: [
      {
        kind: 'state',
        entityId: relation.a.entityId,
        to: relation.a.state,
        ...(from === null ? {} : { from }),
      },
    ],
    conditions: pattern.conditions,
    action: { kind: 'set', entityId: relation.b.entityId, state: relation.b.state },
    residents: view.residents,
  };
  const response = view.timelines.get(relation.b.entityId);
  const backtest =
    response === undefined
      ? null
      : computeBacktest({
          fireTimes: timesWhereAll(events, pattern.conditions),
          target: response,
          targetCode: view.history.states.find(relation.b.state),
          entries: responseEntries,
          windowMs: events.windowMs,
        });
  return { pattern, rule, backtest, usefulness };
}

function whyNotActionable(relation: SequentialRelation, usefulness: number): string | null {
  if (PRESENCE_DOMAINS.has(domainOf(relation.a.entityId))) {
    return 'presence';
  }

  if (!canAct({ kind: 'set', entityId: relation.b.entityId, state: relation.b.state })) {
    return 'no service sets the response';
  }

  if (usefulness <= POLARITY_USEFULNESS.mixed && relation.lagS.median > MIXED_POLARITY_MAX_LAG_S) {
    return 'the response undoes the trigger minutes later';
  }

  return null;
}

function usefulnessOf(relation: SequentialRelation): number {
  const domain = domainOf(relation.b.entityId);
  const aActive = isActiveState(domainOf(relation.a.entityId), relation.a.state) !== false;
  const bActive = isActiveState(domain, relation.b.state) !== false;
  const polarity =
    aActive === bActive
      ? aActive
        ? POLARITY_USEFULNESS.same
        : POLARITY_USEFULNESS.bothOff
      : POLARITY_USEFULNESS.mixed;
  return (DOMAIN_USEFULNESS[domain] ?? 0.5) * polarity;
}

/** A co-activity relation typed and explained; it suggests no automation by itself. */
export function computeCoActivityFinding(view: HomeView, relation: CoActivityRelation): Finding {
  const pattern: Pattern = {
    key: relationKey(relation, '~'),
    source: 'relation',
    trigger: { ...relation.a },
    response: { ...relation.b },
    driver: null,
    types: computePatternTags({
      trigger: view.infos.get(relation.a.entityId),
      response: view.infos.get(relation.b.entityId),
      sequential: null,
      presence: null,
      conditions: [],
      confidence: relation.confidence,
    }),
    conditions: [],
    evidence: null,
    confidence: relation.confidence,
    support: relation.support,
    alreadyAutomated: false,
    ...explainCoActivity(wordsFor(view, relation.a), wordsFor(view, relation.b), relation),
  };
  return { pattern, rule: null, backtest: null, usefulness: 0, reason: 'co-activity' };
}

function hasPresenceCondition(conditions: readonly Condition[]): boolean {
  return conditions.some((c) => c.kind === 'recent_arrival' || c.kind === 'someone_home');
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}
