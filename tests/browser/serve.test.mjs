// scripts/serve.mjs: MIME types, no path traversal or dot-files, GET/HEAD only, CORS, ETags.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../scripts/serve.mjs';

let srv;
before(async () => { srv = await startServer({ port: 0, quiet: true }); });
after(async () => { await srv.close(); });

const get = (path, init) => fetch(srv.url + path.replace(/^\//, ''), init);

test('serves files with the MIME types browsers require', async () => {
  const cases = [
    ['index.html', 'text/html; charset=utf-8'],
    ['www/js/embed.js', 'text/javascript; charset=utf-8'],
    ['scripts/serve.mjs', 'text/javascript; charset=utf-8'],
    ['www/css/rnnlab.css', 'text/css; charset=utf-8'],
    ['pkg/rnn_lab_bg.wasm', 'application/wasm'],
    ['pkg/vendor/katex/fonts/KaTeX_Main-Regular.woff2', 'font/woff2'],
    ['package.json', 'application/json; charset=utf-8'],
  ];
  for (const [path, type] of cases) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), type, path);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    await res.arrayBuffer();
  }
  const root = await get('/');
  assert.match(await root.text(), /<div data-widget="activations"/);
});

test('refuses traversal, dot-files, odd methods and missing files', async () => {
  const { request } = await import('node:http');
  // fetch normalises "..", so send raw paths.
  const raw = (path, method = 'GET') => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.end();
  });
  // URL parsing folds plain and %2e-encoded ".." segments before the file lookup, so these
  // become /etc/passwd inside the root (404); an encoded slash survives parsing and is refused.
  assert.equal(await raw('/../../etc/passwd'), 404);
  assert.equal(await raw('/www/%2e%2e/%2e%2e/%2e%2e/etc/passwd'), 404);
  assert.equal(await raw('/www/..%2f..%2fCargo.toml'), 403);
  assert.equal(await raw('/.git/config'), 404);
  assert.equal(await raw('/.gitignore'), 404);
  assert.equal(await raw('/%00'), 400);
  assert.equal(await raw('/%E0%A4%A'), 400);
  assert.equal(await raw('/nope.html'), 404);
  assert.equal(await raw('/src'), 404); // a directory without index.html: no listing
  assert.equal(await raw('/index.html', 'POST'), 405);
  assert.equal(await raw('/index.html', 'HEAD'), 200);
});

test('a symlink pointing outside the root is refused', async () => {
  const { mkdtemp, writeFile, symlink, mkdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'rnnlab-serve-'));
  await mkdir(join(dir, 'root'));
  await writeFile(join(dir, 'secret.txt'), 'secret');
  await writeFile(join(dir, 'root', 'ok.txt'), 'ok');
  await symlink(join(dir, 'secret.txt'), join(dir, 'root', 'link.txt'));
  const s = await startServer({ root: join(dir, 'root'), port: 0, quiet: true });
  try {
    assert.equal(await (await fetch(s.url + 'ok.txt')).text(), 'ok');
    const res = await fetch(s.url + 'link.txt');
    assert.equal(res.status, 403);
    assert.doesNotMatch(await res.text(), /secret/);
  } finally {
    await s.close();
  }
});

test('answers If-None-Match with 304', async () => {
  const first = await get('index.html');
  await first.text();
  const etag = first.headers.get('etag');
  assert.ok(etag);
  const again = await get('index.html', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});

test('takes the next port when the first is busy', async () => {
  const other = await startServer({ port: srv.port, lastPort: srv.port + 20, quiet: true });
  try {
    assert.notEqual(other.port, srv.port);
    assert.ok(other.port > srv.port && other.port <= srv.port + 20);
    assert.equal(other.url, `http://127.0.0.1:${other.port}/`);
  } finally {
    await other.close();
  }
});
