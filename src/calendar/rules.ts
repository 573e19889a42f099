import type { EventEffect } from './types.js';

/**
 * One classification rule. Rules are tried in order and the first that matches decides, so
 * the narrow ones (an online call, "home office") come before the broad ones ("office").
 */
export interface ClassificationRule {
  id: string;
  effect: EventEffect;
  /** 0..1: how often, in our experience, an event matching this rule means what it says. */
  confidence: number;
  /** Words or phrases looked for in the summary, case-insensitive, as whole words. */
  keywords?: string[];
  /** `away`: the location is set and is not home; `home`: the location is the home address. */
  location?: 'away' | 'home';
  /** Matches only events that last at least this many days (all-day trips, holidays). */
  minDays?: number;
  /**
   * The way there and back for a timed away event, in minutes: longer for the office than for
   * the shops. Without it the presence timeline's commute margins apply.
   */
  travelMinutes?: { before: number; after: number };
  /** The explanation shown with the finding; `{match}` is replaced by what matched. */
  reason: string;
}

/** The built-in rules, in English and German. A configuration may replace or extend them. */
export const DEFAULT_RULES: readonly ClassificationRule[] = [
  {
    id: 'online-call',
    effect: 'none',
    confidence: 0.9,
    keywords: ['call', 'zoom', 'teams', 'google meet', 'webex', 'skype', 'video call', 'telefonat'],
    reason: '"{match}" is an online call, which changes nothing about presence',
  },
  {
    id: 'work-from-home',
    effect: 'work_from_home',
    confidence: 0.9,
    keywords: [
      'work from home',
      'working from home',
      'wfh',
      'home office',
      'homeoffice',
      'remote',
      'mobiles arbeiten',
      'mobile arbeit',
    ],
    reason: '"{match}" means working from home',
  },
  {
    id: 'trip',
    effect: 'away',
    confidence: 0.9,
    keywords: [
      'trip',
      'travel',
      'vacation',
      'flight',
      'business trip',
      'conference',
      'urlaub',
      'reise',
      'dienstreise',
      'flug',
      'konferenz',
    ],
    reason: '"{match}" is a trip away from home',
  },
  {
    id: 'office',
    effect: 'away',
    confidence: 0.85,
    keywords: ['office', 'büro', 'buero', 'work', 'arbeit', 'on site', 'vor ort'],
    travelMinutes: { before: 60, after: 60 },
    reason: '"{match}" is a day at the workplace',
  },
  {
    id: 'errand',
    effect: 'away',
    confidence: 0.75,
    keywords: [
      'dinner',
      'lunch',
      'restaurant',
      'groceries',
      'shopping',
      'supermarket',
      'dentist',
      'doctor',
      'gym',
      'cinema',
      'concert',
      'hairdresser',
      'essen gehen',
      'essen mit',
      'einkaufen',
      'zahnarzt',
      'arzt',
      'kino',
      'konzert',
      'friseur',
    ],
    travelMinutes: { before: 20, after: 30 },
    reason: '"{match}" happens away from home',
  },
  {
    id: 'at-home',
    effect: 'home',
    confidence: 0.8,
    keywords: ['at home', 'zu hause', 'zuhause', 'daheim', 'sick', 'krank', 'handwerker'],
    reason: '"{match}" happens at home',
  },
  {
    id: 'home-location',
    effect: 'home',
    confidence: 0.7,
    location: 'home',
    reason: 'the location is the home address',
  },
  {
    id: 'elsewhere',
    effect: 'away',
    confidence: 0.7,
    location: 'away',
    reason: 'the location "{match}" is not home',
  },
  {
    id: 'several-days',
    effect: 'away',
    confidence: 0.5,
    minDays: 3,
    reason: 'an event of {match} with no other clue is more often a trip than not',
  },
];
