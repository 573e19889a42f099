import { h } from './dom.js';
import { percent } from './format.js';

const STATUS_WORDS = {
  suggested: 'Suggested',
  already_automated: 'Already automated',
  too_uncertain: 'Too uncertain',
  not_actionable: 'Nothing to automate',
};

/**
 * The insights, best first, each with what tandem makes of it and the explanation of its
 * pattern. Those nothing can be automated for (sensors, persons, devices on together) are many
 * and read as noise, so they wait behind a checkbox.
 *
 * @param {{ insights: object[], patterns: object[] }} found from `/api/insights`
 */
export function renderInsights(found, list, showAll) {
  const explained = new Map(found.patterns.map((pattern) => [pattern.key, pattern]));
  const shown = showAll
    ? found.insights
    : found.insights.filter((insight) => insight.status !== 'not_actionable');

  list.replaceChildren(...shown.map((insight) => renderInsight(insight, explained)));
  if (shown.length === 0) {
    list.replaceChildren(h('li', { className: 'empty' }, 'Nothing worth a look yet.'));
  }
}

/** How many insights the checkbox keeps back. */
export function countHidden(found) {
  return found.insights.filter((insight) => insight.status === 'not_actionable').length;
}

function renderInsight(insight, explained) {
  const pattern = explained.get(insight.key);
  const merged = insight.merged?.length ?? 0;
  const facts =
    `${percent(insight.confidence)} confidence · score ${insight.score.toFixed(2)}` +
    (merged > 0 ? ` · also covers ${merged} twin finding${merged === 1 ? '' : 's'}` : '');

  return h(
    'li',
    {},
    h(
      'details',
      {},
      h(
        'summary',
        {},
        h(
          'span',
          { className: `badge badge-${insight.status}` },
          STATUS_WORDS[insight.status] ?? insight.status,
        ),
        ' ',
        insight.summary,
      ),
      h('p', { className: 'meta' }, facts),
      h(
        'p',
        { className: 'explanation' },
        pattern?.explanation ?? 'The pattern behind it was not sent.',
      ),
    ),
  );
}
