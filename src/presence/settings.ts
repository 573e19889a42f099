import type { ClassificationRule, EventEffect } from '../calendar/index.js';
import { isValidTimeZone } from '../calendar/index.js';
import { TandemError } from '../errors.js';

/** The `calendar` section of `tandem.json`: everything about reading presence from calendars. */
export interface CalendarSettings {
  timeZone?: string;
  homeLocation?: string[];
  /** Replace the built-in rules; `extraRules` are tried before the built-in ones instead. */
  rules?: ClassificationRule[];
  extraRules?: ClassificationRule[];
  commuteMinutes?: { before: number; after: number };
  residents?: number;
  cacheTtlMinutes?: number;
}

const EFFECTS: readonly EventEffect[] = ['away', 'home', 'work_from_home', 'none'];

/**
 * Checks the `calendar` section of a parsed `tandem.json` and lists every problem with its path,
 * so that one run shows them all.
 *
 * @throws TandemError `INVALID_ARGUMENT` naming the file and each faulty key
 */
export function parseCalendarSettings(value: unknown, file: string): CalendarSettings {
  const problems: string[] = [];
  const section = isObject(value) ? value : {};
  if (!isObject(value)) {
    problems.push('calendar: expected an object');
  }

  const settings: CalendarSettings = {
    timeZone: readTimeZone(section.timeZone, problems),
    homeLocation: readStrings(section.homeLocation, 'calendar.homeLocation', problems),
    rules: readRules(section.rules, 'calendar.rules', problems),
    extraRules: readRules(section.extraRules, 'calendar.extraRules', problems),
    commuteMinutes: readCommute(section.commuteMinutes, problems),
    residents: readNumber(section.residents, 'calendar.residents', 1, problems),
    cacheTtlMinutes: readNumber(section.cacheTtlMinutes, 'calendar.cacheTtlMinutes', 0, problems),
  };

  if (problems.length > 0) {
    throw new TandemError('INVALID_ARGUMENT', `${file}: ${problems.join('; ')}`);
  }

  return settings;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readTimeZone(value: unknown, problems: string[]): string | undefined {
  if (value === undefined) {
    return undefined;
  }

  if (typeof value !== 'string' || !isValidTimeZone(value)) {
    problems.push(`calendar.timeZone: ${JSON.stringify(value)} is not a known time zone`);
    return undefined;
  }

  return value;
}

function readStrings(value: unknown, path: string, problems: string[]): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }

  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string')) {
    problems.push(`${path}: expected a string or a list of strings`);
    return undefined;
  }

  return list;
}

function readNumber(value: unknown, path: string, min: number, problems: string[]) {
  if (value === undefined) {
    return undefined;
  }

  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    problems.push(`${path}: expected a number of at least ${min}`);
    return undefined;
  }

  return value;
}

function readCommute(value: unknown, problems: string[]) {
  if (value === undefined) {
    return undefined;
  }

  const before = isObject(value)
    ? readNumber(value.before, 'calendar.commuteMinutes.before', 0, problems)
    : undefined;
  const after = isObject(value)
    ? readNumber(value.after, 'calendar.commuteMinutes.after', 0, problems)
    : undefined;
  if (before === undefined || after === undefined) {
    problems.push('calendar.commuteMinutes: expected { "before": minutes, "after": minutes }');
    return undefined;
  }

  return { before, after };
}

function readRules(value: unknown, path: string, problems: string[]) {
  if (value === undefined) {
    return undefined;
  }

  if (!Array.isArray(value)) {
    problems.push(`${path}: expected a list of rules`);
    return undefined;
  }

  const rules = value.map((rule, index) => readRule(rule, `${path}[${index}]`, problems));
  return rules.every((rule) => rule !== undefined) ? rules : undefined;
}

function readRule(
  value: unknown,
  path: string,
  problems: string[],
): ClassificationRule | undefined {
  const before = problems.length;
  const rule = isObject(value) ? value : {};
  if (typeof rule.id !== 'string') {
    problems.push(`${path}.id: expected a string`);
  }

  if (!EFFECTS.includes(rule.effect as EventEffect)) {
    problems.push(`${path}.effect: expected one of ${EFFECTS.join(', ')}`);
  }

  if (typeof rule.confidence !== 'number' || rule.confidence < 0 || rule.confidence > 1) {
    problems.push(`${path}.confidence: expected a number from 0 to 1`);
  }

  const keywords = readStrings(rule.keywords, `${path}.keywords`, problems);
  if (rule.location !== undefined && rule.location !== 'away' && rule.location !== 'home') {
    problems.push(`${path}.location: expected "away" or "home"`);
  }

  if (keywords === undefined && rule.location === undefined && rule.minDays === undefined) {
    problems.push(`${path}: give keywords, a location or minDays to match on`);
  }

  return problems.length === before
    ? ({ reason: rule.id, ...rule } as ClassificationRule)
    : undefined;
}
