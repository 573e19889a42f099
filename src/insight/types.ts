import type { PresenceDriver } from '../correlation/index.js';

/** The kinds a finding can be typed as; one finding often carries several. */
export type PatternType = 'sequential' | 'complementary' | 'spatial' | 'temporal' | 'presence';

export interface PatternTag {
  type: PatternType;
  /** How strongly the finding shows this type, 0 to 1. */
  strength: number;
  confidence: number;
  /** For `temporal`, the local time-of-day window, e.g. `18:00–23:30`. */
  window?: string;
}

/** A condition under which a finding holds, and which its automation checks. */
export type Condition =
  | { kind: 'after_dark'; source: 'sun' | 'hour' }
  | { kind: 'time'; afterMin: number; beforeMin: number }
  | { kind: 'weekdays' }
  | { kind: 'someone_home' }
  | { kind: 'nobody_home' }
  | { kind: 'recent_arrival'; withinS: number };

/** What happened at the trigger's events: followed by the response or not, in and out of the
 * conditions found. */
export interface TriggerEvidence {
  triggers: number;
  followed: number;
  /** Trigger events inside the conditions, and how many of those the response followed. */
  inside: { triggers: number; followed: number };
  outside: { triggers: number; followed: number };
  lagS: { median: number; p90: number };
  windowS: number;
}

/** The end a finding acts on: an entity entering a state. */
export interface FindingEnd {
  entityId: string;
  state: string;
}

/**
 * A relation or presence driver typed and explained. `trigger` is an entity's change for
 * relations; for presence findings it is the household's event (`household` entity).
 */
export interface Pattern {
  key: string;
  source: 'relation' | 'presence';
  trigger: FindingEnd;
  response: FindingEnd;
  driver: PresenceDriver | null;
  types: PatternTag[];
  conditions: Condition[];
  evidence: TriggerEvidence | null;
  confidence: number;
  support: number;
  alreadyAutomated: boolean;
  summary: string;
  explanation: string;
}

export interface Backtest {
  /** Times the automation would have acted (its conditions held and the target was not
   * already in the state it sets). */
  fired: number;
  /** Of those, the times the person did the same by hand within the window. */
  matched: number;
  wrong: number;
  /** Manual changes to the target state that no firing would have made. */
  missed: number;
  /** matched / fired, or null when it never fired. */
  precision: number | null;
  /** The share of the manual changes it would have made. */
  recall: number | null;
}

/** `too_uncertain`: actionable, but too weak or too often wrong in the backtest to suggest. */
export type InsightStatus = 'suggested' | 'already_automated' | 'not_actionable' | 'too_uncertain';

export interface Insight {
  key: string;
  pattern: Pattern;
  /** Patterns merged into this one: the reverse direction, or an automated twin. */
  merged: string[];
  status: InsightStatus;
  /** confidence × support × usefulness, for ordering. */
  score: number;
  usefulness: number;
}

export type AutomationTrigger = Record<string, unknown> & { trigger: string };
export type AutomationCondition = Record<string, unknown> & { condition: string };
export type AutomationAction = Record<string, unknown> & { action: string };

/** One Home Assistant automation in the current (2024.10+) syntax. */
export interface Automation {
  id: string;
  alias: string;
  description: string;
  mode: 'single' | 'restart' | 'queued' | 'parallel';
  triggers: AutomationTrigger[];
  conditions: AutomationCondition[];
  actions: AutomationAction[];
}

export interface Suggestion {
  id: string;
  title: string;
  explanation: string;
  confidence: number;
  entities: string[];
  automation: Automation;
  yaml: string;
  backtest: Backtest;
  insight: string;
}

export interface InsightResults {
  patterns: Pattern[];
  insights: Insight[];
  suggestions: Suggestion[];
}
