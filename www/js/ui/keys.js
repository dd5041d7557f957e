// Keyboard stepping for widgets: ←/→ step back/forward, space plays/pauses. Keys typed into
// form fields keep their normal meaning (a focused slider still moves with the arrows).

/**
 * Binds the keys on `el` (which should be focusable, e.g. tabindex=0).
 * @param {HTMLElement} el
 * @param {{prev?: () => void, next?: () => void, toggle?: () => void}} actions
 * @returns {() => void} unbind
 */
export function bindStepKeys(el, actions) {
  const onKey = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && t !== el && t.closest('input, select, textarea, button, [contenteditable]')) return;
    let action = null;
    if (e.key === 'ArrowLeft') action = actions.prev;
    else if (e.key === 'ArrowRight') action = actions.next;
    else if (e.key === ' ' || e.key === 'Spacebar') action = actions.toggle;
    if (!action) return;
    e.preventDefault();
    action();
  };
  el.addEventListener('keydown', onKey);
  return () => el.removeEventListener('keydown', onKey);
}
