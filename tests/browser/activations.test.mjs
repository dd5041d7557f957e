// Browser tests of the reference widget "activations" and of the widget contract it exercises
// (mounting, URL state, hide, language, share snippets, several widgets per page, viewports).
// They are the template for every later widget's browser tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasIsNonBlank, hashPairs, openPage, screenshot } from './lib.mjs';

const widget = (page, id) => page.locator(`[data-widget][data-id="${id}"]`);

test('index.html loads two activation widgets with zero console errors and non-blank charts', async () => {
  const { page, longTasks } = await openPage('index.html');
  const widgets = page.locator('[data-widget="activations"]');
  assert.equal(await widgets.count(), 2);
  for (const id of ['act1', 'act2']) {
    assert.equal(await widget(page, id).getAttribute('data-ready'), 'true');
    const canvases = widget(page, id).locator('canvas');
    assert.ok((await canvases.count()) >= 1);
    for (const c of await canvases.all()) {
      const r = await canvasIsNonBlank(c);
      assert.ok(r.nonBlank, `${id}: canvas ${r.width}×${r.height} is one colour`);
      assert.ok(r.colours >= 4, `${id}: only ${r.colours} colours drawn`);
    }
  }
  // KaTeX rendered the lecture's bound (MathML annotation carries the source).
  const tex = await widget(page, 'act1').locator('annotation[encoding="application/x-tex"]').textContent();
  assert.match(tex, /\\le\\tfrac14/);
  await screenshot(page, 'index-1280x720');
  const tasks = await longTasks();
  console.log(`# long tasks during index.html load: ${tasks.length}, longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms`);
});
