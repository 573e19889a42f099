import { describe, expect, it } from 'vitest';

import { computeActivityBins } from './bins.js';
import { activeStatePredicate, computeActivityIntervals } from './activity.js';
import { StateTable } from './state-table.js';
import { causeOf, NONE, stateAt, TimelineBuilder } from './timeline.js';

const WINDOW = { start: 0, end: 100_000 };

function build(rows: [number, string][], initial?: string) {
  const table = new StateTable();
  const builder = new TimelineBuilder('light.desk', WINDOW, table);
  if (initial !== undefined) {
    builder.setInitial(initial);
  }

  for (const [time, state] of rows) {
    builder.push(time, state);
  }

  return { table, timeline: builder.build() };
}

describe('TimelineBuilder', () => {
  it('keeps only transitions between two different real states', () => {
    const { table, timeline } = build(
      [
        [10, 'on'],
        [20, 'on'],
        [30, 'off'],
      ],
      'off',
    );

    expect(timeline.length).toBe(2);
    expect([...timeline.states].map((code) => table.nameOf(code))).toEqual(['on', 'off']);
  });

  it('does not count a restart as a change', () => {
    const { timeline } = build(
      [
        [10, 'unavailable'],
        [20, 'on'],
        [30, 'unknown'],
        [40, 'off'],
      ],
      'on',
    );

    expect(timeline.length).toBe(1);
    expect(timeline.times[0]).toBe(40);
  });

  it('takes the first real state as the initial one when none was in force', () => {
    const { table, timeline } = build([
      [5, 'unavailable'],
      [10, 'off'],
      [20, 'on'],
    ]);

    expect(table.nameOf(timeline.initial)).toBe('off');
    expect(timeline.since).toBe(10);
    expect(timeline.length).toBe(1);
  });

  it('grows past its initial capacity', () => {
    const rows: [number, string][] = [];
    for (let i = 0; i < 1000; i++) {
      rows.push([i, i % 2 === 0 ? 'on' : 'off']);
    }

    expect(build(rows, 'off').timeline.length).toBe(1000);
  });

  it('records the cause and the parent of each change', () => {
    const table = new StateTable();
    const builder = new TimelineBuilder('light.hall', WINDOW, table);
    builder.setInitial('off');
    builder.push(10, 'on', 'automation', 3);
    const timeline = builder.build();

    expect(causeOf(timeline, 0)).toBe('automation');
    expect(timeline.parents[0]).toBe(3);
  });
});

describe('stateAt', () => {
  it('returns the state in force at a time', () => {
    const { table, timeline } = build(
      [
        [10, 'on'],
        [30, 'off'],
      ],
      'off',
    );

    expect(table.nameOf(stateAt(timeline, 5))).toBe('off');
    expect(table.nameOf(stateAt(timeline, 10))).toBe('on');
    expect(table.nameOf(stateAt(timeline, 29))).toBe('on');
    expect(table.nameOf(stateAt(timeline, 30))).toBe('off');
  });

  it('returns NONE before the entity had a state', () => {
    const { timeline } = build([[10, 'on']]);

    expect(stateAt(timeline, 5)).toBe(NONE);
  });
});

describe('computeActivityIntervals', () => {
  it('returns the active spans, closing an open one at the window end', () => {
    const { table, timeline } = build(
      [
        [10, 'on'],
        [30, 'off'],
        [50, 'on'],
      ],
      'off',
    );

    const intervals = computeActivityIntervals(timeline, activeStatePredicate('light', table));

    expect([...intervals.starts]).toEqual([10, 50]);
    expect([...intervals.ends]).toEqual([30, WINDOW.end]);
  });

  it('treats every mode but off as active for a climate entity', () => {
    const { table, timeline } = build(
      [
        [10, 'heat'],
        [20, 'cool'],
        [30, 'off'],
      ],
      'off',
    );

    const intervals = computeActivityIntervals(timeline, activeStatePredicate('climate', table));

    expect([...intervals.starts]).toEqual([10]);
    expect([...intervals.ends]).toEqual([30]);
  });
});

describe('computeActivityBins', () => {
  it('marks every bin an interval touches', () => {
    const intervals = { starts: Float64Array.of(15, 95), ends: Float64Array.of(31, 96), length: 2 };
    const bins = computeActivityBins(intervals, { start: 0, end: 100 }, 10);

    expect([...Array(10).keys()].filter((i) => bins.has(i))).toEqual([1, 2, 3, 9]);
    expect(bins.count()).toBe(4);
  });

  it('counts the bins two sets share', () => {
    const a = computeActivityBins(
      { starts: Float64Array.of(0), ends: Float64Array.of(50), length: 1 },
      { start: 0, end: 100 },
      10,
    );
    const b = computeActivityBins(
      { starts: Float64Array.of(30), ends: Float64Array.of(100), length: 1 },
      { start: 0, end: 100 },
      10,
    );

    expect(a.countAnd(b)).toBe(2);
  });
});
