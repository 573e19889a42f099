import type { Backtest, Pattern } from './types.js';
import type { Rule } from './automation.js';

/** A pattern with the rule that would automate it and that rule's replay; internal to the pass. */
export interface Finding {
  pattern: Pattern;
  rule: Rule | null;
  backtest: Backtest | null;
  /** How much automating it is worth to a person, 0 to 1. */
  usefulness: number;
  /** What the suggestion is called, when the summary does not say what the rule does. */
  title?: string;
  /** Why there is no rule, when there is none. */
  reason?: string;
}
