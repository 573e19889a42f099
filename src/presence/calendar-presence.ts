import type { Classification } from '../calendar/index.js';
import type { CalendarEvent } from '../calendar/index.js';
import type { Interval } from '../timeline/index.js';
import type { PresenceInterval, PresenceState } from './types.js';

export interface ClassifiedEvent {
  event: CalendarEvent;
  classification: Classification;
}

/** What one source could tell: the range its data covers (`null`: none) and whether it is old. */
export interface SourceCoverage {
  source: string;
  covered: Interval | null;
  stale: boolean;
  /** Why there is no data, shown in the `unknown` intervals it causes. */
  reason?: string;
}

export interface CommuteMargins {
  /** Time away before a timed away event starts (the way there), in ms. */
  beforeMs: number;
  /** Time away after it ends (the way back), in ms. */
  afterMs: number;
}

/** When a household on an all-day trip leaves on the first day and is back on the last. */
export interface TripHours {
  /** Hours after the first day's midnight. */
  leaveHour: number;
  /** Hours after the last day's midnight. */
  returnHour: number;
}

export interface CalendarPresenceOptions {
  window: Interval;
  /** The way there and back around timed away events whose rule sets none. */
  commute?: CommuteMargins;
  /**
   * The way there and back as learned from what the household really did (see
   * `calibrateCalendar`): replaces every rule's own travel time and the default.
   */
  learned?: CommuteMargins;
  tripHours?: TripHours;
  /**
   * How many people live in the home. A shared calendar does not say whose an event is, so
   * with several residents the household counts as away only where as many away events
   * overlap (or on a trip), and a home event at the same time wins: someone is still home.
   * Default 1.
   * TODO(calendar-attendees): read ATTENDEE and per-person calendars to know whose an event is;
   * this count stays as the fallback for calendars without them.
   */
  residents?: number;
  /** How sure an evening with no event is spent at home. */
  defaultHomeConfidence?: number;
}

/**
 * Thirty minutes each way: a typical commute, used until margins are learned from the
 * residents' person entities (`learned`, see `calibrateCalendar`).
 */
export const DEFAULT_COMMUTE: CommuteMargins = { beforeMs: 30 * 60_000, afterMs: 30 * 60_000 };
/** People sleep at home the night before a trip and come back in the evening. */
export const DEFAULT_TRIP_HOURS: TripHours = { leaveHour: 9, returnHour: 18 };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DEFAULT_HOME_CONFIDENCE = 0.6;

interface Claim extends PresenceInterval {
  /**
   * Where claims overlap, a trip wins (people forget to cancel their office series for the
   * holidays), and otherwise the shorter, more specific event: rank first, then span.
   */
  rank: number;
  span: number;
}

/**
 * Turns classified calendar events into a gap-free presence timeline over `window`. Where every
 * source has data and no event says otherwise, the household is taken to be home with a modest
 * confidence; where a source has no data, the answer is `unknown` with confidence 0, because a
 * missing away event cannot be told from a day at home.
 */
export function computeCalendarPresence(
  events: readonly ClassifiedEvent[],
  coverage: readonly SourceCoverage[],
  options: CalendarPresenceOptions,
): PresenceInterval[] {
  const { window } = options;
  const staleSources = new Set(coverage.filter((item) => item.stale).map((item) => item.source));
  const claims = events
    .map((item) => toClaim(item, options, staleSources))
    .filter((claim): claim is Claim => claim !== null && claim.end > window.start)
    .sort((a, b) => a.start - b.start);
  const baseline = computeBaseline(coverage, window, options);

  const residents = Math.max(1, options.residents ?? 1);
  return mergeAdjacent(resolveOverlaps(claims, baseline, window, residents));
}

function toClaim(item: ClassifiedEvent, options: CalendarPresenceOptions, stale: Set<string>) {
  const { event, classification } = item;
  const state = STATE_OF_EFFECT[classification.effect];
  if (state === null || event.end <= event.start) {
    return null;
  }

  const trip = state === 'away' && event.allDay;
  const span = trip
    ? tripSpan(event, options.tripHours ?? DEFAULT_TRIP_HOURS)
    : awaySpan(item, options);
  const claim: Claim = {
    ...(state === 'away' ? span : { start: event.start, end: event.end }),
    state,
    workFromHome: classification.effect === 'work_from_home',
    confidence: classification.confidence,
    source: event.source,
    reason: `${event.summary || '(untitled)'}: ${classification.reason}`,
    stale: stale.has(event.source),
    rank: trip ? 0 : 1,
    span: event.end - event.start,
  };
  return claim;
}

/** A timed away event, widened by the way there and back. */
function awaySpan(item: ClassifiedEvent, options: CalendarPresenceOptions): Interval {
  const travel =
    options.learned ?? item.classification.travel ?? options.commute ?? DEFAULT_COMMUTE;
  return { start: item.event.start - travel.beforeMs, end: item.event.end + travel.afterMs };
}

/**
 * An all-day trip, from the morning of its first day to the evening of its last. Hours are
 * counted from local midnight, so on a clock-change day they are an hour off; a trip's edges
 * are not known that closely anyway.
 */
function tripSpan(event: CalendarEvent, hours: TripHours): Interval {
  const lastDay = Math.max(event.start, event.end - DAY_MS);
  return {
    start: event.start + hours.leaveHour * HOUR_MS,
    end: lastDay + hours.returnHour * HOUR_MS,
  };
}

const STATE_OF_EFFECT: Record<Classification['effect'], PresenceState | null> = {
  away: 'away',
  home: 'home',
  work_from_home: 'home',
  none: null,
};

/** The answer where no event speaks: home where all sources have data, unknown elsewhere. */
function computeBaseline(
  coverage: readonly SourceCoverage[],
  window: Interval,
  options: CalendarPresenceOptions,
): PresenceInterval[] {
  if (coverage.length === 0) {
    return [unknown(window, 'no calendar was given')];
  }

  const edges = new Set([window.start, window.end]);
  for (const { covered } of coverage) {
    if (covered !== null) {
      edges.add(clamp(covered.start, window)).add(clamp(covered.end, window));
    }
  }

  const sorted = [...edges].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((start, index) => {
    const span = { start, end: sorted[index + 1] ?? window.end };
    return baselineOver(span, coverage, options);
  });
}

function baselineOver(
  span: Interval,
  coverage: readonly SourceCoverage[],
  options: CalendarPresenceOptions,
): PresenceInterval {
  const missing = coverage.filter(
    ({ covered }) => covered === null || covered.start > span.start || covered.end < span.end,
  );
  if (missing.length > 0) {
    const reasons = missing.map(
      (item) => `${item.source}: ${item.reason ?? 'no data for this time'}`,
    );
    return unknown(span, `calendar data missing (${reasons.join('; ')})`);
  }

  return {
    ...span,
    state: 'home',
    workFromHome: false,
    confidence: options.defaultHomeConfidence ?? DEFAULT_HOME_CONFIDENCE,
    source: 'calendar',
    reason: 'no calendar event: assumed home',
    stale: coverage.some((item) => item.stale),
  };
}

function unknown(span: Interval, reason: string): PresenceInterval {
  const { start, end } = span;
  return {
    start,
    end,
    state: 'unknown',
    workFromHome: false,
    confidence: 0,
    source: 'calendar',
    reason,
    stale: false,
  };
}

/**
 * Cuts the window at every claim edge and, for each piece, keeps the most specific claim over
 * it, or the baseline. A sweep keeps only the claims open at the current piece, so the cost
 * grows with the overlap between events, not with their number squared.
 */
function resolveOverlaps(
  claims: readonly Claim[],
  baseline: readonly PresenceInterval[],
  window: Interval,
  residents: number,
): PresenceInterval[] {
  const cuts = collectCuts(claims, baseline, window);
  const pieces: PresenceInterval[] = [];
  let open: Claim[] = [];
  let nextClaim = 0;
  let baseIndex = 0;

  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i] ?? window.start;
    const end = cuts[i + 1] ?? window.end;
    while (nextClaim < claims.length && (claims[nextClaim]?.start ?? Infinity) <= start) {
      open.push(claims[nextClaim] as Claim);
      nextClaim++;
    }

    open = open.filter((claim) => claim.end > start);
    while ((baseline[baseIndex]?.end ?? Infinity) <= start) {
      baseIndex++;
    }

    const chosen = chooseClaim(open, residents) ?? baseline[baseIndex];
    if (chosen !== undefined) {
      pieces.push(pieceOf(chosen, start, end));
    }
  }

  return pieces;
}

function collectCuts(
  claims: readonly Claim[],
  baseline: readonly PresenceInterval[],
  window: Interval,
): number[] {
  const cuts = new Set<number>([window.start, window.end]);
  for (const item of [...claims, ...baseline]) {
    cuts.add(clamp(item.start, window)).add(clamp(item.end, window));
  }

  return [...cuts].sort((a, b) => a - b);
}

/** The claim that decides a piece, or `undefined` where the baseline does. */
function chooseClaim(open: readonly Claim[], residents: number): Claim | undefined {
  if (residents === 1 || open.length === 0) {
    return pickClaim(open);
  }

  const trip = pickClaim(open.filter((claim) => claim.rank === 0));
  const home = pickClaim(open.filter((claim) => claim.state === 'home'));
  const away = open.filter((claim) => claim.state === 'away');
  return trip ?? home ?? (away.length >= residents ? pickClaim(away) : undefined);
}

function pickClaim(open: readonly Claim[]): Claim | undefined {
  let best: Claim | undefined;
  for (const claim of open) {
    const better =
      best === undefined ||
      claim.rank < best.rank ||
      (claim.rank === best.rank && claim.span < best.span) ||
      (claim.rank === best.rank && claim.span === best.span && claim.confidence > best.confidence);
    if (better) {
      best = claim;
    }
  }

  return best;
}

function pieceOf(chosen: PresenceInterval, start: number, end: number): PresenceInterval {
  const { state, workFromHome, confidence, source, reason, stale } = chosen;
  return { start, end, state, workFromHome, confidence, source, reason, stale };
}

function mergeAdjacent(pieces: readonly PresenceInterval[]): PresenceInterval[] {
  const merged: PresenceInterval[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last !== undefined && last.end === piece.start && isSameAnswer(last, piece)) {
      last.end = piece.end;
    } else {
      merged.push({ ...piece });
    }
  }

  return merged;
}

function isSameAnswer(a: PresenceInterval, b: PresenceInterval): boolean {
  return (
    a.state === b.state &&
    a.workFromHome === b.workFromHome &&
    a.confidence === b.confidence &&
    a.source === b.source &&
    a.reason === b.reason &&
    a.stale === b.stale
  );
}

function clamp(time: number, window: Interval): number {
  return Math.min(window.end, Math.max(window.start, time));
}
