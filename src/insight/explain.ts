import type {
  CoActivityRelation,
  PresenceCorrelation,
  PresenceDriver,
} from '../correlation/index.js';
import { describeChange, formatDuration, formatMinuteOfDay } from './_lib/words.js';
import type { Condition, TriggerEvidence } from './types.js';

/** How an end of a finding reads: its name and, for binary sensors, its device class. */
export interface EndWords {
  name: string;
  state: string;
  deviceClass: string | null;
}

const phrase = (end: EndWords) => describeChange(end.name, end.state, end.deviceClass);

/** "after dark and on weekdays": the conditions as one phrase. */
export function describeConditions(conditions: readonly Condition[]): string {
  return conditions.map(describeCondition).join(' and ');
}

function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'after_dark':
      return condition.source === 'sun' ? 'after sunset' : 'in the evening and at night';
    case 'time':
      return (
        `between ${formatMinuteOfDay(condition.afterMin)} ` +
        `and ${formatMinuteOfDay(condition.beforeMin)}`
      );
    case 'weekdays':
      return 'on weekdays';
    case 'someone_home':
      return 'while someone is home';
    case 'nobody_home':
      return 'while nobody is home';
    case 'recent_arrival':
      return `within ${formatDuration(condition.withinS)} of someone coming home`;
  }
}

/** One line and a paragraph for "when A, B follows", with the counts that make it believable. */
export function explainSequence(
  trigger: EndWords,
  response: EndWords,
  evidence: TriggerEvidence,
  conditions: readonly Condition[],
  expected: number | null,
): { summary: string; explanation: string } {
  const when = conditions.length === 0 ? '' : `, ${describeConditions(conditions)}`;
  const { inside, outside, lagS, windowS } = evidence;
  const summary =
    `${capitalize(phrase(response))} within ${formatDuration(windowS)} of when ` +
    `${phrase(trigger)}${when} (${inside.followed} of ${inside.triggers} times).`;
  const sentences = [
    `On ${inside.followed} of the ${inside.triggers} times ${phrase(trigger)}${when}, ` +
      `${phrase(response)} within ${formatDuration(windowS)} ` +
      `(median ${formatDuration(lagS.median)}).`,
    describeOutside(outside, conditions),
    describeMisses(inside),
    expected === null
      ? ''
      : `By itself, at those hours, it would have followed about ${expected.toFixed(1)} times.`,
  ];
  return { summary, explanation: sentences.filter((s) => s !== '').join(' ') };
}

/** One line and a paragraph for two devices that are on together more than chance. */
export function explainCoActivity(
  a: EndWords,
  b: EndWords,
  relation: Pick<CoActivityRelation, 'days' | 'phi' | 'baselinePhi'>,
): { summary: string; explanation: string } {
  return {
    summary: `${a.name} and ${b.name} are on together on ${relation.days} days.`,
    explanation:
      `${a.name} and ${b.name} were active at the same time on ${relation.days} days ` +
      `(phi ${relation.phi.toFixed(2)}), against ${relation.baselinePhi.toFixed(2)} when one is ` +
      `compared with the other on other days at the same time.`,
  };
}

function describeOutside(
  outside: TriggerEvidence['outside'],
  conditions: readonly Condition[],
): string {
  if (conditions.length === 0 || outside.triggers === 0) {
    return '';
  }

  return outside.followed === 0
    ? `It never did at the ${outside.triggers} other times.`
    : `At the ${outside.triggers} other times it did so only ${outside.followed} times.`;
}

function describeMisses(inside: TriggerEvidence['inside']): string {
  const missed = inside.triggers - inside.followed;
  return missed === 0 ? 'It never failed to.' : `It did not on ${missed} occasions.`;
}

type Texts = { summary: string; explanation: string };
type PresenceEvidence = PresenceCorrelation['evidence'];

/** The words for each driver, from the device's name and the counts behind the finding. */
const PRESENCE_TEXTS: Readonly<
  Record<PresenceDriver, (device: EndWords, evidence: PresenceEvidence) => Texts>
> = {
  arrival: (device, evidence) => anchored(device, 'after someone comes home', evidence.arrival),
  departure: (device, evidence) =>
    anchored(device, 'around the time the last person leaves', evidence.departure),
  away: (device, evidence) => ({
    summary: `${device.name} is used only while nobody is home.`,
    explanation:
      `${device.name} was used ${evidence.away} times while the home was empty and ` +
      `${evidence.home} times while someone was home, over ${Math.round(evidence.hoursAway)} ` +
      `hours away and ${Math.round(evidence.hoursHome)} at home.`,
  }),
  home: (device, evidence) => ({
    summary: `${device.name} is used only while someone is home.`,
    explanation:
      `${device.name} was used ${evidence.home} times while someone was home and ` +
      `${evidence.away} times while the home was empty; at the hours it is used, about ` +
      `${evidence.expectedAway.toFixed(1)} uses while away would be expected if presence ` +
      `made no difference.`,
  }),
  work_from_home: (device, evidence) => ({
    summary: `${device.name} is used on work-from-home days.`,
    explanation:
      `${device.name} was used on ${evidence.workFromHomeDaysUsed} of ` +
      `${evidence.workFromHomeDays} days worked from home, and on ${evidence.otherDaysUsed} ` +
      `of ${evidence.otherDays} other workdays with someone home.`,
  }),
};

/** One line and a paragraph for a device that presence drives. */
export function explainPresence(device: EndWords, found: PresenceCorrelation): Texts {
  return PRESENCE_TEXTS[found.driver ?? 'home'](device, found.evidence);
}

function anchored(device: EndWords, when: string, anchor: PresenceEvidence['arrival']): Texts {
  const action = phrase(device);
  if (anchor === null) {
    return { summary: `${capitalize(action)} ${when}.`, explanation: '' };
  }

  return {
    summary: `${capitalize(action)} ${when} (${anchor.support} times).`,
    explanation:
      `${capitalize(action)} ${when}: ${anchor.support} times within ` +
      `${formatDuration(anchor.windowS)} (median ${formatDuration(anchor.lagS.median)}), far ` +
      `more often than its own habits at those hours explain.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
