import { h } from './dom.js';
import { percent } from './format.js';

const VERDICT_WORDS = {
  accept: 'Accepted',
  reject: 'Rejected',
};

/**
 * Each suggested automation with its evidence, its replay over the history and its YAML, to
 * copy into Home Assistant; accepting or rejecting one tells the server, which stops offering
 * it, and the card goes.
 *
 * @param {{ suggestions: object[], withheld: object[] }} offered from `/api/suggestions`
 * @param {HTMLElement} status where the outcome of an action is announced
 */
export function renderSuggestions(api, offered, list, status) {
  const answeredBefore = offered.withheld.length;
  const count = () => list.querySelectorAll('article').length;
  const describe = () => {
    const open = count() === 0 ? 'No suggestions are waiting' : `${count()} waiting`;
    return answeredBefore === 0 ? `${open}.` : `${open}; ${answeredBefore} answered before.`;
  };

  const answer = async (suggestion, verdict, card) => {
    await api.post(`api/suggestions/${encodeURIComponent(suggestion.id)}/feedback`, { verdict });
    // Focus goes on to the next card, so that a keyboard reader keeps their place.
    const next = card.nextElementSibling ?? card.previousElementSibling;
    card.remove();
    (next ?? status).focus();
    status.textContent =
      `${VERDICT_WORDS[verdict]} “${suggestion.title}”; tandem will not offer it again. ` +
      describe();
  };

  list.replaceChildren(...offered.suggestions.map((suggestion) => renderCard(suggestion, answer)));
  status.textContent = describe();
}

function renderCard(suggestion, answer) {
  const titleId = `${suggestion.id}-title`;
  const yaml = h('pre', { className: 'yaml', tabIndex: 0 }, h('code', {}, suggestion.yaml));
  const shown = h('details', {}, h('summary', {}, 'The automation in YAML'), yaml);
  const outcome = h('p', { className: 'outcome', role: 'status' });
  const card = h(
    'article',
    {
      className: 'suggestion',
      tabIndex: -1,
      'aria-labelledby': titleId,
      'data-id': suggestion.id,
    },
    h('h3', { id: titleId }, suggestion.title),
    h('p', {}, suggestion.explanation),
    h(
      'p',
      { className: 'meta' },
      `${percent(suggestion.confidence)} confident. ${replayWords(suggestion.backtest)}`,
    ),
    h('p', { className: 'meta' }, 'Uses ', joinCodes(suggestion.entities)),
    shown,
  );
  const setBusy = (busy) => {
    for (const button of card.querySelectorAll('button')) {
      button.disabled = busy;
    }
  };
  const act = (verdict) => async (event) => {
    setBusy(true);
    try {
      await answer(suggestion, verdict, card);
    } catch (error) {
      outcome.textContent = error.message;
      setBusy(false);
      event.target.focus();
    }
  };

  card.append(
    h(
      'div',
      { className: 'actions' },
      h(
        'button',
        { type: 'button', onclick: () => copyYaml(suggestion.yaml, shown, outcome) },
        'Copy YAML',
      ),
      h('button', { type: 'button', className: 'accept', onclick: act('accept') }, 'Accept'),
      h('button', { type: 'button', className: 'reject', onclick: act('reject') }, 'Reject'),
    ),
    outcome,
  );
  return card;
}

/** The rule replayed over the history it came from (see docs/insights.md, "Backtest"). */
function replayWords(backtest) {
  if (backtest === undefined) {
    return '';
  }

  const { fired, matched, missed } = backtest;
  const runs =
    fired === 0
      ? 'Replayed over the history, it would never have run'
      : `Replayed over the history, it would have run ${fired} times, ${matched} of them ` +
        `when the same was done by hand (${percent(matched / fired)})`;
  return missed === 0 ? `${runs}.` : `${runs}; it would have missed ${missed} changes by hand.`;
}

function joinCodes(entities) {
  return entities.flatMap((entity, i) => (i === 0 ? [] : [', ']).concat(h('code', {}, entity)));
}

/**
 * The clipboard API needs a secure context (https, or this box itself); over plain http from
 * another machine the YAML is selected instead, for the reader to copy.
 */
async function copyYaml(text, shown, outcome) {
  try {
    await navigator.clipboard.writeText(text);
    outcome.textContent = 'YAML copied.';
  } catch {
    const pre = shown.querySelector('pre');
    shown.open = true;
    pre.focus();
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    outcome.textContent =
      'This browser does not allow copying here: the YAML is selected, press Ctrl+C.';
  }
}
