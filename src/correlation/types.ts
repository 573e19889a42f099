/** One side of a relation: an entity entering a state. */
export interface RelationEnd {
  entityId: string;
  state: string;
}

/** "When A enters a state, B enters a state within a lag": found, measured and judged. */
export interface SequentialRelation {
  kind: 'sequential';
  a: RelationEnd;
  b: RelationEnd;
  /** A's events followed by one of B's within the window. */
  support: number;
  /** A's events in all, and B's. */
  triggers: number;
  responses: number;
  /** P(B follows A): support / triggers. */
  pFollows: number;
  /** P(A precedes B): the share of B's events that had one of A's within the window before. */
  pPrecedes: number;
  /** The window learned from the lags, seconds. */
  windowS: number;
  lagS: { median: number; p90: number };
  /** How many of A's events B would have followed by itself: its rate at that hour of the week
   * and presence state, and at the same time on other days; the larger counts. */
  expected: number;
  expectedBySlot: number;
  expectedByDayShift: number | null;
  /** P(support this high by chance), corrected for the choice of window. */
  pValue: number;
  /** The false-discovery-adjusted p-value over every pair that was tested. */
  qValue: number;
  confidence: number;
  /** The share of B's answering events made by an automation that A's change triggered. */
  automatedShare: number;
  alreadyAutomated: boolean;
}

/** "A and B are active at the same time", beyond what the time of day explains. */
export interface CoActivityRelation {
  kind: 'co_activity';
  a: RelationEnd;
  b: RelationEnd;
  /** Phi over the time bins in which the relation is judged, in [-1, 1]. */
  phi: number;
  /** The mean phi of B shifted by whole days against A: what the time of day alone gives. */
  baselinePhi: number;
  /** Bins in which both were active, and the days those fell on. */
  support: number;
  days: number;
  pValue: number;
  qValue: number;
  confidence: number;
}

export type Relation = SequentialRelation | CoActivityRelation;
