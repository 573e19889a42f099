import { DEFAULT_RULES } from './rules.js';
import type { ClassificationRule } from './rules.js';
import type { CalendarEvent, EventEffect } from './types.js';

export interface Classification {
  effect: EventEffect;
  confidence: number;
  /** The id of the rule that decided, or `default`. */
  rule: string;
  reason: string;
  /** The rule's own way there and back, in ms, for timed away events. */
  travel?: { beforeMs: number; afterMs: number };
}

export interface ClassifyOptions {
  rules?: readonly ClassificationRule[];
  /** The home's address and other names for it ("Home", "Zuhause"), matched loosely. */
  homeLocation?: string | readonly string[];
}

interface CompiledRule {
  rule: ClassificationRule;
  pattern: RegExp | null;
}

/** A tentative event is less certain than a confirmed one by this factor. */
const TENTATIVE_FACTOR = 0.6;
const DAY_MS = 86_400_000;

/** Links and dial-in numbers are where online meetings put their "location". */
const ONLINE_LOCATION = /^(https?:\/\/|www\.|.*\b(zoom|teams|meet|webex|online|skype)\b)/i;

/**
 * Builds a classifier from rules. Patterns are compiled once here, so that classifying the
 * thousands of occurrences of a long window costs one regular-expression test per rule.
 */
export function createClassifier(
  options: ClassifyOptions = {},
): (event: CalendarEvent) => Classification {
  const rules = (options.rules ?? DEFAULT_RULES).map(compileRule);
  const home = normaliseHome(options.homeLocation);
  return (event) => classifyWith(rules, home, event);
}

function compileRule(rule: ClassificationRule): CompiledRule {
  const keywords = rule.keywords ?? [];
  if (keywords.length === 0) {
    return { rule, pattern: null };
  }

  const alternatives = keywords.map((keyword) => escapeRegExp(keyword.toLowerCase()));
  // Whole words in any script: "Homeoffice" must not count as "office".
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(${alternatives.join('|')})(?![\\p{L}\\p{N}])`,
    'iu',
  );
  return { rule, pattern };
}

function classifyWith(
  rules: readonly CompiledRule[],
  home: readonly string[],
  event: CalendarEvent,
): Classification {
  for (const compiled of rules) {
    const match = matchRule(compiled, home, event);
    if (match !== null) {
      const { rule } = compiled;
      const factor = event.status === 'tentative' ? TENTATIVE_FACTOR : 1;
      const travel = rule.travelMinutes && {
        beforeMs: rule.travelMinutes.before * 60_000,
        afterMs: rule.travelMinutes.after * 60_000,
      };
      return {
        effect: rule.effect,
        confidence: rule.confidence * factor,
        rule: rule.id,
        reason: rule.reason.replace('{match}', match),
        ...(travel === undefined ? {} : { travel }),
      };
    }
  }

  return { effect: 'none', confidence: 0.5, rule: 'default', reason: 'no rule matched' };
}

/** Returns what matched (for the reason), or `null`. */
function matchRule(compiled: CompiledRule, home: readonly string[], event: CalendarEvent) {
  const { rule, pattern } = compiled;
  if (rule.minDays !== undefined && event.end - event.start < rule.minDays * DAY_MS) {
    return null;
  }

  if (pattern !== null) {
    return pattern.exec(event.summary)?.[1] ?? null;
  }

  if (rule.location !== undefined) {
    return matchLocation(rule.location, home, event.location);
  }

  return rule.minDays !== undefined ? `${rule.minDays}+ days` : null;
}

function matchLocation(kind: 'away' | 'home', home: readonly string[], location: string) {
  const place = normalise(location);
  if (place === '' || ONLINE_LOCATION.test(location.trim())) {
    return null;
  }

  const atHome = home.some((name) => isSamePlace(place, name));
  return atHome === (kind === 'home') ? location.trim() : null;
}

/**
 * Two addresses name the same place when one contains the other, or when they share two words
 * and every number of the location (the house number, the postcode) is in the home address.
 */
function isSamePlace(place: string, home: string): boolean {
  if (place.includes(home) || home.includes(place)) {
    return true;
  }

  const homeWords = new Set(home.split(' '));
  const words = place.split(' ');
  const shared = words.filter((word) => homeWords.has(word));
  const numbers = words.filter((word) => /\d/.test(word));
  return shared.length >= 2 && numbers.every((number) => homeWords.has(number));
}

function normaliseHome(homeLocation: string | readonly string[] | undefined): string[] {
  const names = typeof homeLocation === 'string' ? [homeLocation] : (homeLocation ?? []);
  return names.map(normalise).filter((name) => name.length >= 3);
}

/** Lower case, punctuation dropped, "Straße" and "Str." alike, so addresses compare loosely. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/straße|strasse/g, 'str')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
}
