import { createApi } from './api.js';
import { byId, h } from './dom.js';
import { createTimeFormat } from './format.js';
import { countHidden, renderInsights } from './insights.js';
import { renderPresence } from './presence.js';
import { renderRelations } from './relations.js';
import { renderSuggestions } from './suggestions.js';

/** Enough relations for a readable matrix on a phone, ranked by confidence. */
const RELATIONS_SHOWN = 20;
const RELATIONS_MIN_CONFIDENCE = 0.5;

const api = createApi(askForToken);

/**
 * Each section loads on its own, so that one failing shows its message and the others still
 * render; `main` is busy until all have settled.
 */
async function start() {
  const main = document.querySelector('main');
  main?.setAttribute('aria-busy', 'true');
  try {
    const health = await api.get('health');
    const format = createTimeFormat(health.analysis.time_zone);
    renderStatus(health, format);

    const found = api.get('api/insights');
    await Promise.all([
      load('presence', () => renderPresence(api, format, health.analysis)),
      load('relations', async () => {
        const query = new URLSearchParams({
          min_confidence: String(RELATIONS_MIN_CONFIDENCE),
          standalone: 'true',
          limit: String(RELATIONS_SHOWN),
        });
        const [{ correlations }, { entities }, { patterns }] = await Promise.all([
          api.get(`api/correlations?${query}`),
          api.get('api/entities'),
          found,
        ]);
        const names = new Map(entities.map((entity) => [entity.entity_id, entity.name]));
        const matrix = byId('relations-matrix');
        renderRelations(correlations, patterns, names, matrix, byId('relations-list'));
      }),
      load('insights', async () => showInsights(await found)),
      load('suggestions', async () => {
        const offered = await api.get('api/suggestions');
        renderSuggestions(api, offered, byId('suggestions-list'), byId('suggestions-status'));
      }),
    ]);
  } catch (error) {
    byId('status').replaceChildren(h('span', { className: 'problem' }, error.message));
  } finally {
    main?.removeAttribute('aria-busy');
  }
}

async function load(sectionId, render) {
  try {
    await render();
  } catch (error) {
    const heading = byId(sectionId).querySelector('h2');
    heading?.after(h('p', { className: 'problem', role: 'alert' }, error.message));
  }
}

function renderStatus(health, format) {
  const { analysis } = health;
  const facts = [
    `tandem ${health.version}`,
    analysis.analyzed_at === null
      ? `analysis ${analysis.state}`
      : `analysed ${format.dated(Date.parse(analysis.analyzed_at))}`,
    `${analysis.entities} entities`,
    `times in ${format.zone}`,
  ];
  const down = health.sources.filter((source) => source.up === false);
  byId('status').replaceChildren(
    facts.join(' · '),
    ...down.map((source) =>
      h(
        'span',
        { className: 'problem' },
        ` · ${source.name} ${source.state}${source.error === undefined ? '' : `: ${source.error}`}`,
      ),
    ),
  );
}

function showInsights(found) {
  const all = byId('insights-all');
  const render = () => {
    renderInsights(found, byId('insights-list'), all.checked);
  };

  all.labels?.[0]?.append(` (${countHidden(found)})`);
  all.addEventListener('change', render);
  render();
}

/** Shows the token form until it is sent; `refused` says the last token did not work. */
function askForToken(refused) {
  const form = byId('token-form');
  const input = byId('token-input');
  const problem = byId('token-problem');
  form.hidden = false;
  problem.hidden = !refused;
  problem.textContent = refused ? 'The server refused that token; check it and try again.' : '';
  input.value = '';
  input.focus();

  return new Promise((resolve) => {
    const submit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (token === '') {
        return;
      }

      form.removeEventListener('submit', submit);
      form.hidden = true;
      resolve(token);
    };
    form.addEventListener('submit', submit);
  });
}

void start();
