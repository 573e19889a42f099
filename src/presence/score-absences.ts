import type { Interval } from '../timeline/index.js';

export interface AbsenceScores {
  /** Share of the window in which inferred and labelled presence agree (away vs not away). */
  agreement: number;
  /** Inferred absences that overlap labelled ones for at least half their length. */
  precision: number;
  /** Labelled absences overlapped by inferred ones for at least half their length. */
  recall: number;
  inferred: number;
  labelled: number;
  /** Labelled absences that were not found, for reading what the errors look like. */
  missed: Interval[];
  /** Inferred absences that were not (mostly) labelled ones. */
  spurious: Interval[];
}

/**
 * Scores inferred absences against labelled ones over `window`: time-weighted agreement, and
 * interval precision and recall under the half-overlap rule (an interval counts as found when
 * the other side covers at least half of it).
 */
export function computeAbsenceScores(
  inferred: readonly Interval[],
  labelled: readonly Interval[],
  window: Interval,
): AbsenceScores {
  const inferredMerged = mergeIntervals(inferred, window);
  const labelledMerged = mergeIntervals(labelled, window);
  const both = overlapMs(inferredMerged, labelledMerged);
  const disagree = totalMs(inferredMerged) + totalMs(labelledMerged) - 2 * both;
  const missed = labelled.filter((span) => !isHalfCovered(span, inferredMerged));
  const spurious = inferred.filter((span) => !isHalfCovered(span, labelledMerged));
  return {
    agreement: 1 - disagree / (window.end - window.start),
    precision: inferred.length === 0 ? 1 : 1 - spurious.length / inferred.length,
    recall: labelled.length === 0 ? 1 : 1 - missed.length / labelled.length,
    inferred: inferred.length,
    labelled: labelled.length,
    missed,
    spurious,
  };
}

function isHalfCovered(span: Interval, cover: readonly Interval[]): boolean {
  const length = span.end - span.start;
  return length > 0 && overlapMs([span], cover) >= length / 2;
}

/** Sorted, clipped to the window, overlaps joined. */
function mergeIntervals(spans: readonly Interval[], window: Interval): Interval[] {
  const clipped = spans
    .map((span) => ({
      start: Math.max(span.start, window.start),
      end: Math.min(span.end, window.end),
    }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const span of clipped) {
    const last = merged.at(-1);
    if (last !== undefined && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }

  return merged;
}

function totalMs(spans: readonly Interval[]): number {
  return spans.reduce((sum, span) => sum + span.end - span.start, 0);
}

/** Overlap of two lists of sorted, disjoint intervals, by one merge pass. */
function overlapMs(a: readonly Interval[], b: readonly Interval[]): number {
  let total = 0;
  let j = 0;
  for (const span of a) {
    while (j < b.length && (b[j]?.end ?? 0) <= span.start) {
      j++;
    }

    for (let k = j; k < b.length && (b[k]?.start ?? Infinity) < span.end; k++) {
      const other = b[k];
      if (other !== undefined) {
        total += Math.max(0, Math.min(span.end, other.end) - Math.max(span.start, other.start));
      }
    }
  }

  return total;
}
