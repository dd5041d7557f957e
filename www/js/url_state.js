// Widget state in the URL hash, in the manner of TensorFlow Playground: every setting (the seed
// included) round-trips through `location.hash`, so a link reproduces what the lecturer showed.
//
// On a page with several widgets, keys are namespaced by the widget's data-id:
//   index.html#act1.x_min=-6&act1.hide=range&act2.relu=true&lang=en
// On embed.html (one widget) keys are plain:
//   embed.html#widget=activations&x_min=-6&hide=range&lang=en
// `lang` (and `widget` on embed.html) are page-level keys. Updates use history.replaceState, so
// moving a slider does not add browser-history entries.

/** Page-level keys, never namespaced. */
export const PAGE_KEYS = Object.freeze(['lang', 'widget']);

/**
 * Parses a hash ("#a=1&b.c=x%20y") into [key, value] pairs, in order. `+` is kept literally
 * (so "1e+3" survives). Undecodable text is kept raw.
 * @param {string} hash
 * @returns {[string, string][]}
 */
export function parseHash(hash) {
  const body = String(hash ?? '').replace(/^#/, '');
  if (!body) return [];
  const dec = (s) => { try { return decodeURIComponent(s); } catch { return s; } };
  return body.split('&').filter(Boolean).map((part) => {
    const i = part.indexOf('=');
    return i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))];
  });
}

const enc = (s) => encodeURIComponent(s).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');

/**
 * Serialises pairs into a hash string ("#…", or "" for none).
 * @param {[string, string][]} pairs
 * @returns {string}
 */
export function serialiseHash(pairs) {
  return pairs.length ? '#' + pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') : '';
}

/**
 * The state of one widget: its own pairs (prefix stripped; `hide` split out) from all pairs.
 * @param {[string, string][]} all pairs of the whole hash
 * @param {string|null} id the widget's data-id, or null for plain keys (embed.html)
 * @returns {{pairs: [string, string][], hide: string[]|null}} hide is null when absent
 */
export function widgetState(all, id) {
  const pairs = [];
  let hide = null;
  for (const [key, value] of all) {
    let k;
    if (id === null) {
      if (PAGE_KEYS.includes(key) || key.includes('.')) continue;
      k = key;
    } else {
      if (!key.startsWith(id + '.')) continue;
      k = key.slice(id.length + 1);
    }
    if (k === 'hide') hide = splitList(value);
    else pairs.push([k, value]);
  }
  return { pairs, hide };
}

/**
 * Splits a comma list ("range, derivative") into trimmed, non-empty names.
 * @param {string|string[]} v
 * @returns {string[]}
 */
export function splitList(v) {
  const items = Array.isArray(v) ? v : String(v).split(',');
  return items.map((s) => String(s).trim()).filter(Boolean);
}

/**
 * Returns `all` with one widget's keys replaced by `pairs` (and `hide` when non-empty). The
 * widget's keys keep their place in the hash; other keys are untouched.
 * @param {[string, string][]} all
 * @param {string|null} id
 * @param {[string, string][]} pairs
 * @param {string[]} hide
 * @returns {[string, string][]}
 */
export function replaceWidgetState(all, id, pairs, hide) {
  const mine = (key) => (id === null ? !PAGE_KEYS.includes(key) && !key.includes('.') : key.startsWith(id + '.'));
  const full = (k) => (id === null ? k : `${id}.${k}`);
  const fresh = pairs.map(([k, v]) => [full(k), v]);
  if (hide.length) fresh.push([full('hide'), hide.join(',')]);
  const at = all.findIndex(([k]) => mine(k));
  const rest = all.filter(([k]) => !mine(k));
  const pos = at < 0 ? rest.length : all.slice(0, at).filter(([k]) => !mine(k)).length;
  return [...rest.slice(0, pos), ...fresh, ...rest.slice(pos)];
}

/**
 * Returns `all` with a page-level key set (or removed when value is null).
 * @param {[string, string][]} all
 * @param {string} key
 * @param {string|null} value
 * @returns {[string, string][]}
 */
export function setPageKey(all, key, value) {
  const i = all.findIndex(([k]) => k === key);
  const rest = all.filter(([k]) => k !== key);
  if (value === null) return rest;
  const pos = i < 0 ? rest.length : i;
  return [...rest.slice(0, pos), [key, value], ...rest.slice(pos)];
}

/**
 * Reads and writes the hash of a window without adding history entries.
 * @param {Window} win
 */
export function hashStore(win) {
  return {
    /** @returns {[string, string][]} */
    read: () => parseHash(win.location.hash),
    /** @param {[string, string][]} pairs */
    write: (pairs) => {
      const url = new URL(win.location.href);
      url.hash = serialiseHash(pairs);
      if (url.href !== win.location.href) win.history.replaceState(win.history.state, '', url.href);
    },
  };
}
