export { activeDuration, activeStatePredicate, computeActivityIntervals } from './activity.js';
export type { IntervalList } from './activity.js';
export { BitSet, binCount, binOf, computeActivityBins } from './bins.js';
export type { HomeHistory } from './home-history.js';
export { durationOf } from './interval.js';
export type { Interval } from './interval.js';
export { StateTable } from './state-table.js';
export { causeOf, NONE, stateAt, TimelineBuilder } from './timeline.js';
export type { Timeline } from './timeline.js';
