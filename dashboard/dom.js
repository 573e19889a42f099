/**
 * Builds an element, e.g. `h('a', { href, className: 'x' }, 'text', child)`. Names the element
 * has as properties are set as such; others (`aria-*`, `data-*`, `role`) as attributes;
 * `on*` functions become listeners. Text is always a text node: data from the server never
 * reaches the page as markup.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }

    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name in element && !name.includes('-')) {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }

  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (element === null) {
    throw new Error(`the page has no #${id}`);
  }

  return element;
}
