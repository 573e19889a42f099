import uPlot from './vendor/uplot/uPlot.esm.js';

import { byId } from './dom.js';
import { percent, stateWords } from './format.js';

const HEIGHT = 220;
const MIN_WIDTH = 280;

/** A series per band, as high as the confidence in it; unknown is a full-height grey. */
const BANDS = [
  { key: 'home', label: 'Home', color: '--home' },
  { key: 'work_from_home', label: 'Working from home', color: '--work-from-home' },
  { key: 'away', label: 'Away', color: '--away' },
  { key: 'unknown', label: 'Unknown', color: '--unknown' },
];

/** Which of the chart's bands an interval is drawn in. */
export function bandOf(interval) {
  return interval.state === 'home' && interval.work_from_home ? 'work_from_home' : interval.state;
}

/**
 * Each interval is two points, at its start and its end, on its own band's series; the other
 * series have gaps there. So every band is drawn as flat-topped blocks, not as slopes.
 */
function chartData(intervals) {
  const times = [];
  const series = BANDS.map(() => []);
  for (const interval of intervals) {
    times.push(interval.start, interval.end);
    const band = bandOf(interval);
    BANDS.forEach(({ key }, i) => {
      const height = key === 'unknown' ? 1 : interval.confidence;
      const value = key === band ? height : null;
      series[i]?.push(value, value);
    });
  }

  return [times, ...series];
}

/**
 * Draws the presence timeline with uPlot: a band per state, as high as the confidence in it,
 * with vertical markers (now, the end of the history) and a line of words under the pointer.
 *
 * @param {HTMLElement} container emptied and filled with the chart
 * @param {{ intervals: object[], span: { from: number, to: number },
 *   markers: { at: number, label: string, dashed: boolean }[], format: object }} what
 */
export function drawPresenceChart(container, { intervals, span, markers, format }) {
  const colors = Object.fromEntries(BANDS.map(({ color }) => [color, cssColor(color)]));
  const text = cssColor('--text');
  const grid = cssColor('--border');
  const options = {
    width: Math.max(container.clientWidth, MIN_WIDTH),
    height: HEIGHT,
    ms: 1,
    tzDate: (ms) => uPlot.tzDate(new Date(ms), format.zone),
    scales: { x: { time: true, range: [span.from, span.to] }, y: { range: [0, 1.25] } },
    series: [
      {},
      ...BANDS.map(({ label, color }) => ({
        label,
        stroke: colors[color],
        fill: `${colors[color]}${color === '--unknown' ? '55' : 'cc'}`,
        width: 1,
        points: { show: false },
      })),
    ],
    axes: [
      {
        stroke: text,
        space: 70,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        values: (_u, splits) =>
          splits.map((ms) => (format.isMidnight(ms) ? format.day(ms) : format.time(ms))),
      },
      {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        label: 'how sure',
        splits: () => [0, 0.5, 1],
        values: (_u, splits) => splits.map(percent),
      },
    ],
    legend: { live: false },
    cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
    plugins: [markersPlugin(markers, text), readoutPlugin(intervals, format)],
  };

  container.replaceChildren();
  const chart = new uPlot(options, chartData(intervals), container);
  const plot = chart.root.querySelector('.u-wrap');
  plot?.setAttribute('role', 'img');
  plot?.setAttribute(
    'aria-label',
    `Presence from ${format.dateTime(span.from)} to ${format.dateTime(span.to)}, ` +
      'as in the table below',
  );
  new ResizeObserver(() => {
    chart.setSize({ width: Math.max(container.clientWidth, MIN_WIDTH), height: HEIGHT });
  }).observe(container);
}

/** Vertical lines at moments that matter: now, and where the recorded history ends. */
function markersPlugin(markers, color) {
  return {
    hooks: {
      draw: (u) => {
        for (const marker of markers) {
          drawMarker(u, marker, color);
        }
      },
    },
  };
}

function drawMarker(u, marker, color) {
  const { ctx, bbox } = u;
  const ratio = uPlot.pxRatio;
  const x = Math.round(u.valToPos(marker.at, 'x', true));
  if (x < bbox.left || x > bbox.left + bbox.width) {
    return;
  }

  const leftHalf = x < bbox.left + bbox.width / 2;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 2 * ratio;
  ctx.setLineDash(marker.dashed ? [6 * ratio, 4 * ratio] : []);
  ctx.beginPath();
  ctx.moveTo(x, bbox.top);
  ctx.lineTo(x, bbox.top + bbox.height);
  ctx.stroke();
  ctx.font = `${12 * ratio}px system-ui, sans-serif`;
  ctx.textAlign = leftHalf ? 'left' : 'right';
  ctx.fillText(marker.label, x + (leftHalf ? 5 : -5) * ratio, bbox.top + 13 * ratio);
  ctx.restore();
}

/** Under the pointer, the interval's state, span and reason in words. */
function readoutPlugin(intervals, format) {
  const readout = byId('presence-readout');
  const hint = 'Point at the chart to read an interval.';
  readout.textContent = hint;
  return {
    hooks: {
      setCursor: (u) => {
        const left = u.cursor.left ?? -1;
        const at = left < 0 ? NaN : u.posToVal(left, 'x');
        const interval = intervals.find((item) => item.start <= at && at < item.end);
        readout.textContent =
          interval === undefined
            ? hint
            : `${format.dateTime(interval.start)} – ${format.dateTime(interval.end)}: ` +
              `${stateWords(interval)}, ${interval.reason} (${percent(interval.confidence)} sure)`;
      },
    },
  };
}

function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
