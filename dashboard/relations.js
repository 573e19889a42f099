import { h } from './dom.js';
import { duration, entityLabel, percent } from './format.js';

/**
 * The strongest relations as a matrix, a row per device that changed first and a column per
 * device that followed it (or was on with it), and below it the same relations in words with
 * their evidence. A cell leads to its relation's explanation.
 *
 * @param {object[]} correlations from `/api/correlations`, by confidence
 * @param {object[]} patterns from `/api/insights`: each relation's explanation, by its key
 * @param {Map<string, string>} names from `/api/entities`: each entity's name in Home Assistant
 */
export function renderRelations(correlations, patterns, names, matrix, list) {
  const explained = new Map(patterns.map((pattern) => [pattern.key, pattern]));
  const items = correlations.map((relation, i) => ({
    relation,
    pattern: explained.get(relationKey(relation)),
    id: `relation-${i + 1}`,
  }));

  if (items.length === 0) {
    list.replaceChildren(
      h('li', { className: 'empty' }, 'No relation is sure enough yet; a longer history helps.'),
    );
    matrix.replaceChildren();
    return;
  }

  list.replaceChildren(...items.map(renderItem));
  matrix.replaceChildren(...renderMatrix(items, names));
}

/** The key the insights give the pattern made of a relation. */
function relationKey({ kind, a, b }) {
  const joiner = kind === 'sequential' ? '>' : '~';
  return `${a.entity_id}:${a.state}${joiner}${b.entity_id}:${b.state}`;
}

/**
 * The same entities along both sides, in the order of their strongest relation, so that a pair
 * related both ways shows as two cells mirrored across the diagonal.
 */
function renderMatrix(items, names) {
  // The name the household gave a device reads best; an unnamed one falls back to its id.
  const label = (entityId) => {
    const name = names.get(entityId);
    return name === undefined || name === entityId ? entityLabel(entityId) : name;
  };
  const entities = unique(
    items.flatMap(({ relation }) => [relation.a.entity_id, relation.b.entity_id]),
  );
  const caption = h('caption', {}, 'Confidence in %: the darker, the surer.');
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('td'),
      entities.map((column) =>
        h('th', { scope: 'col', title: column }, h('span', {}, label(column))),
      ),
    ),
  );
  const body = entities.map((row) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', title: row }, label(row)),
      entities.map((column) =>
        renderCell(
          items.filter(({ relation: { a, b } }) => a.entity_id === row && b.entity_id === column),
        ),
      ),
    ),
  );
  return [caption, head, h('tbody', {}, body)];
}

/** A cell shows its strongest relation; its label names every relation the pair has. */
function renderCell(items) {
  const best = items[0];
  if (best === undefined) {
    return h('td');
  }

  const label = items.map(({ relation }) => relationWords(relation)).join('; ');
  const confidence = best.relation.confidence;
  const button = h(
    'button',
    {
      type: 'button',
      className: 'cell',
      title: label,
      'aria-label': label,
      onclick: () => {
        reveal(best.id);
      },
    },
    String(Math.round(confidence * 100)),
    items.length > 1 ? h('small', { 'aria-hidden': 'true' }, ` ×${items.length}`) : null,
  );
  button.style.setProperty('--strength', String(confidence));
  return h('td', {}, button);
}

function reveal(id) {
  const details = document.getElementById(id)?.querySelector('details');
  if (details === null || details === undefined) {
    return;
  }

  details.open = true;
  details.scrollIntoView({ block: 'center' });
  details.querySelector('summary')?.focus();
}

function renderItem({ relation, pattern, id }) {
  return h(
    'li',
    { id },
    h(
      'details',
      {},
      h('summary', {}, pattern?.summary ?? relationWords(relation)),
      h('p', { className: 'meta' }, factsOf(relation)),
      h(
        'p',
        { className: 'explanation' },
        pattern?.explanation ?? 'tandem gives no explanation for relations this weak.',
      ),
    ),
  );
}

function relationWords({ kind, a, b, confidence }) {
  const link = kind === 'sequential' ? 'then' : 'together with';
  return `${a.entity_id} ${a.state} ${link} ${b.entity_id} ${b.state}, ${percent(confidence)}`;
}

function factsOf(relation) {
  const facts = [
    h('code', {}, relation.a.entity_id),
    relation.kind === 'sequential' ? ' → ' : ' with ',
    h('code', {}, relation.b.entity_id),
    ` · ${percent(relation.confidence)} confidence`,
  ];
  if (relation.kind === 'sequential') {
    facts.push(` · followed ${relation.support} times`);
    if (relation.lag_s !== undefined) {
      facts.push(` · typically after ${duration(relation.lag_s.median)}`);
    }
  } else if (relation.days !== undefined) {
    facts.push(` · on together on ${relation.days} days`);
  }

  if (relation.already_automated === true) {
    facts.push(' · already automated');
  }

  return facts;
}

function unique(values) {
  return [...new Set(values)];
}
