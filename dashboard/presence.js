import { byId, h } from './dom.js';
import { daysBetween, percent, stateWords } from './format.js';
import { bandOf, drawPresenceChart } from './presence-chart.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DAYS_BACK = 3;
const DAYS_AHEAD = 2;
/** A history ending closer to now than this is simply current: the server reads it anew. */
const CURRENT_HISTORY_MS = HOUR_MS;
const FAR_MS = 180 * DAY_MS;

const SOURCE_WORDS = {
  person: 'person entities',
  sensors: 'doors and motion',
  home_assistant: 'Home Assistant, live',
  calendar: 'calendars',
  none: 'nothing',
};

/**
 * The presence section: where the household is now and will be next, and its timeline from a
 * few days back to a day or two ahead. When the recorded history ended before that span, the
 * timeline shows the history's last days instead, and says so.
 *
 * @param {{ window: { start: string, end: string } | null }} analysis from `/health`
 */
export async function renderPresence(api, format, analysis) {
  const [now, prediction] = await Promise.all([
    api.get('api/presence'),
    api.get(`api/presence/predict?hours=${DAYS_AHEAD * 24}`),
  ]);
  const nowMs = Date.parse(now.at);
  const historyEnd = analysis.window === null ? null : Date.parse(analysis.window.end);
  const span = chartSpan(nowMs, historyEnd);
  const query = new URLSearchParams({
    from: new Date(span.from).toISOString(),
    to: new Date(span.to).toISOString(),
  });
  const { intervals } = await api.get(`api/presence/intervals?${query}`);

  byId('presence-now').replaceChildren(renderFacts(now, prediction, format));
  renderNote(format, nowMs, historyEnd, span);
  const timeline = intervals.map((interval) => ({
    ...interval,
    start: Date.parse(interval.start),
    end: Date.parse(interval.end),
  }));
  const markers = [{ at: nowMs, label: 'now', dashed: false }];
  if (historyEnd !== null && historyEnd < nowMs - CURRENT_HISTORY_MS) {
    markers.push({ at: historyEnd, label: 'history ends', dashed: true });
  }

  drawPresenceChart(byId('presence-chart'), { intervals: timeline, span, markers, format });
  byId('presence-table').replaceChildren(...renderTable(timeline, nowMs, format));
}

function chartSpan(nowMs, historyEnd) {
  const span = { from: nowMs - DAYS_BACK * DAY_MS, to: nowMs + DAYS_AHEAD * DAY_MS };
  if (historyEnd !== null && historyEnd < span.from) {
    return { from: historyEnd - (DAYS_BACK + 1) * DAY_MS, to: historyEnd + DAY_MS };
  }

  return span;
}

function renderFacts(now, prediction, format) {
  const nowMs = Date.parse(now.at);
  // A time far from now needs its year: the history may have ended long ago.
  const when = (iso) => {
    const ms = Date.parse(iso);
    return Math.abs(ms - nowMs) > FAR_MS ? format.dated(ms) : format.dateTime(ms);
  };
  // TODO(presence-predict): when now lies after the presence timeline, the server's prediction
  // scans the timeline from its start and names changes long past; drop this check once it
  // looks ahead of now only.
  const ahead = (next) => (next !== null && Date.parse(next.at) >= nowMs ? next : null);
  const change = (next) =>
    ahead(next) === null
      ? `none known in the next ${prediction.hours} h`
      : `${when(next.at)} (${percent(next.confidence)} sure)`;
  const since = now.since === null ? '' : `, since ${when(now.since)}`;
  const sure = now.state === 'unknown' ? '' : `; ${percent(now.confidence)} sure`;

  return h(
    'dl',
    {},
    h('dt', {}, `Now, ${when(now.at)}`),
    h(
      'dd',
      {},
      h('strong', { className: `state state-${bandOf(now)}` }, stateWords(now)),
      since,
      h('br'),
      h('span', { className: 'muted' }, `${now.reason}${sure}`),
    ),
    h('dt', {}, 'Next departure'),
    h('dd', {}, change(prediction.next_departure)),
    h('dt', {}, 'Next arrival'),
    h('dd', {}, change(prediction.next_arrival)),
  );
}

function renderNote(format, nowMs, historyEnd, span) {
  const note = byId('presence-note');
  note.hidden = historyEnd === null || historyEnd >= nowMs - CURRENT_HISTORY_MS;
  if (note.hidden) {
    return;
  }

  const ago = daysBetween(historyEnd, nowMs);
  note.textContent =
    span.to < nowMs
      ? `The recorded history ends ${format.dated(historyEnd)}, ${ago} before now: the chart ` +
        'shows its last days. Relations, insights and suggestions come from that history.'
      : `The recorded history ends ${format.dated(historyEnd)}; after it, presence comes from ` +
        'the calendars and Home Assistant.';
}

function renderTable(intervals, nowMs, format) {
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      ['From', 'To', 'Presence', 'How sure', 'Told by', 'Why'].map((name) =>
        h('th', { scope: 'col' }, name),
      ),
    ),
  );
  const rows = intervals.map((interval) =>
    h(
      'tr',
      { className: interval.start >= nowMs ? 'ahead' : '' },
      h('td', {}, format.dateTime(interval.start)),
      h('td', {}, format.dateTime(interval.end)),
      h('td', {}, stateWords(interval)),
      h('td', {}, percent(interval.confidence)),
      h('td', {}, (SOURCE_WORDS[interval.source] ?? interval.source) + staleWords(interval)),
      h('td', {}, interval.reason),
    ),
  );
  const caption = h('caption', {}, `Times in ${format.zone}; rows ahead of now in italics.`);
  return [caption, head, h('tbody', {}, rows)];
}

function staleWords(interval) {
  return interval.stale ? ' (last good copy: the calendar failed since)' : '';
}
