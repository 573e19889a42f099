import { createHash } from 'node:crypto';

import { stringify } from 'yaml';

import { formatMinuteOfDay } from './_lib/words.js';
import { serviceFor } from './services.js';
import type {
  Automation,
  AutomationAction,
  AutomationCondition,
  AutomationTrigger,
  Condition,
} from './types.js';

/** What starts a rule: an entity entering a state (optionally held for a while), or a time. */
export type RuleTrigger =
  | { kind: 'state'; entityId: string | string[]; to: string; from?: string; forS?: number }
  | { kind: 'time'; atMin: number }
  /** An event of a Home Assistant calendar ends, shifted by `offsetS` (negative: before). */
  | { kind: 'calendar'; entityId: string; event: 'start' | 'end'; offsetS: number };

/** What a rule does: put an entity into a state, or tell the household. */
export type RuleAction =
  { kind: 'set'; entityId: string; state: string } | { kind: 'notify'; message: string };

/** The automation before it is written in Home Assistant's words; its hash is its id. */
export interface Rule {
  triggers: RuleTrigger[];
  conditions: Condition[];
  action: RuleAction;
  /** Person entities, which `someone_home`, `nobody_home` and `recent_arrival` are judged by. */
  residents: string[];
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Whether a rule's action can be written as a Home Assistant service call. */
export function canAct(action: RuleAction): boolean {
  return action.kind === 'notify' || serviceFor(domainOf(action.entityId), action.state) !== null;
}

/**
 * The automation object, in the current syntax (`triggers` / `conditions` / `actions`, each
 * trigger with `trigger:` and each action with `action:`). Its id hashes the rule, so the same
 * finding keeps its id from one run to the next.
 */
export function buildAutomation(rule: Rule, alias: string, description: string): Automation {
  const body = {
    triggers: rule.triggers.map(toTrigger),
    conditions: rule.conditions.map((condition) => toCondition(condition, rule.residents)),
    actions: [toAction(rule.action)],
  };
  return {
    id: `tandem_${hashOf(body)}`,
    alias,
    description,
    // Calendar events that end together would be dropped under `single`; Home Assistant's
    // documentation advises queueing them.
    mode: rule.triggers.some((trigger) => trigger.kind === 'calendar') ? 'queued' : 'single',
    ...body,
  };
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

/**
 * YAML as Home Assistant reads it. YAML 1.1 mode makes the writer quote `on`, `off`, `yes` and
 * times such as `07:30:00`, which a 1.1 reader would take for booleans and sexagesimal numbers.
 */
export function toYaml(automations: readonly Automation[]): string {
  return stringify(automations, { version: '1.1', lineWidth: 100 });
}

function toTrigger(trigger: RuleTrigger): AutomationTrigger {
  if (trigger.kind === 'time') {
    return { trigger: 'time', at: `${formatMinuteOfDay(trigger.atMin)}:00` };
  }

  if (trigger.kind === 'calendar') {
    const sign = trigger.offsetS < 0 ? '-' : '+';
    return {
      trigger: 'calendar',
      entity_id: trigger.entityId,
      event: trigger.event,
      offset: `${sign}${formatHms(Math.abs(trigger.offsetS))}`,
    };
  }

  return {
    trigger: 'state',
    entity_id: trigger.entityId,
    ...(trigger.from === undefined ? {} : { from: trigger.from }),
    to: trigger.to,
    ...(trigger.forS === undefined ? {} : { for: formatHms(trigger.forS) }),
  };
}

function toCondition(condition: Condition, residents: readonly string[]): AutomationCondition {
  switch (condition.kind) {
    case 'after_dark':
      return condition.source === 'sun'
        ? { condition: 'state', entity_id: 'sun.sun', state: 'below_horizon' }
        : { condition: 'time', after: '19:00:00', before: '07:00:00' };
    case 'time':
      return {
        condition: 'time',
        after: `${formatMinuteOfDay(condition.afterMin)}:00`,
        before: `${formatMinuteOfDay(condition.beforeMin)}:00`,
      };
    case 'weekdays':
      return { condition: 'time', weekday: WEEKDAYS };
    case 'someone_home':
      return {
        condition: 'or',
        conditions: residents.map((id) => ({ condition: 'state', entity_id: id, state: 'home' })),
      };
    case 'nobody_home':
      return { condition: 'state', entity_id: [...residents], state: 'not_home' };
    case 'recent_arrival':
      return { condition: 'template', value_template: recentArrivalTemplate(condition, residents) };
  }
}

/** True while a resident who is home changed state within the last `withinS` seconds. */
function recentArrivalTemplate(
  condition: { withinS: number },
  residents: readonly string[],
): string {
  const ids = residents.map((id) => `'${id}'`).join(', ');
  return (
    `{{ expand(${ids}) | selectattr('state', 'eq', 'home') ` +
    `| selectattr('last_changed', 'gt', now() - timedelta(seconds=${condition.withinS})) ` +
    `| list | count > 0 }}`
  );
}

function toAction(action: RuleAction): AutomationAction {
  if (action.kind === 'notify') {
    return { action: 'notify.notify', data: { message: action.message } };
  }

  const call = serviceFor(domainOf(action.entityId), action.state);
  if (call === null) {
    throw new RangeError(`no service sets ${action.entityId} to ${action.state}`);
  }

  return {
    action: call.action,
    target: { entity_id: action.entityId },
    ...(call.data === undefined ? {} : { data: call.data }),
  };
}

function formatHms(seconds: number): string {
  const s = Math.round(seconds);
  const part = (n: number) => String(n).padStart(2, '0');
  return `${part(Math.floor(s / 3600))}:${part(Math.floor(s / 60) % 60)}:${part(s % 60)}`;
}

function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}
