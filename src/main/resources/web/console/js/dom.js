// DOM helpers. Everything that comes from the server is put into the page as text
// (textContent / text nodes) or as a property of an element made with createElement; no
// markup is ever parsed from data. URLs taken from rules only become links or image sources
// when they are http(s).

/**
 * Makes an element. props: class, text, dataset, on<event> (functions), properties of the
 * element (booleans and numbers: disabled, checked, value…), other attributes as text.
 * children: nodes, text (strings and numbers become text nodes), arrays, null/false (skipped).
 */
export function h(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; props are attributes (text and class as in h). */
export function svg(tag, props, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children, true);
}

function build(el, props, children, isSvg = false) {
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value == null || value === false) continue;
      if (key === 'class') {
        el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (!isSvg && key in el && typeof value !== 'string') {
        el[key] = value;
      } else if (key === 'style') {
        throw new Error('style attributes are refused by the CSP; use a class');
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** url if it is an absolute http(s) URL, else null. */
export function safeUrl(url) {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link to an external address from the rules: text always, a link only for http(s). */
export function externalLink(url) {
  const safe = safeUrl(url);
  if (!safe) return h('span', { class: 'mono', text: String(url ?? '') });
  return h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer', class: 'mono', text: url });
}

/** A small pill: kind picks the colour. */
export function badge(text, kind = 'neutral', title) {
  return h('span', { class: ['badge', `badge-${kind}`], text, title });
}

/** A list of short items as chips, or a muted placeholder when there are none. */
export function chips(items, empty = '—') {
  if (!items || items.length === 0) return h('span', { class: 'muted', text: empty });
  return h('span', { class: 'chips' }, items.map((item) => h('span', { class: 'chip', text: String(item) })));
}

/** A definition list from [label, value] pairs (value: node or text). */
export function dl(pairs, cls = 'facts') {
  return h('dl', { class: cls }, pairs.filter(Boolean).map(([label, value]) => [
    h('dt', { text: label }),
    h('dd', null, value ?? h('span', { class: 'muted', text: '—' })),
  ]));
}

/** A button; onClick may be async: the button is disabled while it runs. */
export function button(label, onClick, { kind = 'secondary', title, testid, type = 'button' } = {}) {
  const b = h('button', { type, class: ['button', kind], title, dataset: testid ? { testid } : undefined, text: label });
  if (onClick) {
    b.addEventListener('click', async (event) => {
      if (b.disabled) return;
      b.disabled = true;
      try {
        await onClick(event);
      } finally {
        b.disabled = false;
      }
    });
  }
  return b;
}

/** Shows a short message at the bottom of the window. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const item = h('div', { class: ['toast', `toast-${kind}`], text: message });
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 9000 : 5000);
}

/** A message box inside a page: kind info | ok | warn | error. */
export function notice(kind, ...children) {
  return h('div', { class: ['notice', `notice-${kind}`], role: kind === 'error' ? 'alert' : null }, children);
}
