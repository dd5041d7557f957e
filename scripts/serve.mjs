// A dependency-free static file server for RNN Lab, bound to 127.0.0.1 only.
//
//   node scripts/serve.mjs            # serves the repository root on PORT or the first free port ≥ 8000
//   PORT=9000 node scripts/serve.mjs
//
// It serves files only (no directory listings; a directory serves its index.html), with the MIME
// types browsers insist on (`application/wasm` for streaming compilation, `text/javascript` for
// `.js`/`.mjs` modules), `Cache-Control: no-cache` so a rebuilt pkg/ is picked up on reload, and
// `Access-Control-Allow-Origin: *` so pages on other origins can load the embed module. Requests
// that escape the root (`..`, encoded or not, or a symlink pointing outside) and dot-files such
// as .git are refused. The tests import `startServer` from here.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repository root: the parent of this scripts/ folder. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Content types by file extension. */
export const MIME_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
});

function send(req, res, status, text, extraHeaders = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/**
 * Maps a URL path to a file inside `root`, or returns an HTTP status for why it cannot.
 * @param {string} root absolute, symlink-free root directory
 * @param {string} urlPath the request's path (percent-encoded, no query)
 * @returns {Promise<{file: string} | {status: number}>}
 */
export async function resolveRequestPath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { status: 403 };
  if (segments.some((s) => s.startsWith('.') && s !== '')) return { status: 404 };
  let file = resolve(root, '.' + decoded);
  if (file !== root && !file.startsWith(root + sep)) return { status: 403 };
  let info;
  try {
    info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file);
    }
    const real = await realpath(file);
    if (!real.startsWith(root + sep)) return { status: 403 };
  } catch {
    return { status: 404 };
  }
  if (!info.isFile()) return { status: 404 };
  return { file, size: info.size, mtime: info.mtime };
}

/**
 * Starts the server.
 * @param {{root?: string, host?: string, port?: number, lastPort?: number, quiet?: boolean}} [options]
 *   `port` 0 lets the OS pick; otherwise ports port..lastPort are tried in turn.
 * @returns {Promise<{server: import('node:http').Server, url: string, port: number, close: () => Promise<void>}>}
 */
export async function startServer(options = {}) {
  const root = await realpath(options.root ?? REPO_ROOT);
  const host = options.host ?? '127.0.0.1';
  const first = options.port ?? 8000;
  const last = options.lastPort ?? (first === 0 ? 0 : first + 100);

  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    let path;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      send(req, res, 400, 'bad request\n');
      return;
    }
    const found = await resolveRequestPath(root, path);
    if (!found.file) {
      send(req, res, found.status, `${found.status}\n`);
      if (!options.quiet) console.log(`${found.status} ${req.method} ${path}`);
      return;
    }
    const etag = `W/"${found.size.toString(16)}-${found.mtime.getTime().toString(16)}"`;
    const headers = {
      'Content-Type': MIME_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(found.size),
      'Cache-Control': 'no-cache',
      ETag: etag,
      'Last-Modified': found.mtime.toUTCString(),
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  for (let port = first; port <= last; port++) {
    const ok = await new Promise((resolveListen, rejectListen) => {
      const onError = (err) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRINUSE' && port < last) resolveListen(false);
        else rejectListen(err);
      };
      const onListening = () => {
        server.off('error', onError);
        resolveListen(true);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
    if (ok) break;
  }
  const actual = server.address().port;
  const url = `http://${host}:${actual}/`;
  return {
    server,
    url,
    port: actual,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const envPort = process.env.PORT;
  const port = envPort === undefined || envPort === '' ? 8000 : Number(envPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: PORT must be a whole number 0..65535, got ${JSON.stringify(envPort)}`);
    process.exit(2);
  }
  // An explicit PORT is used as given; otherwise the first free port from 8000 up.
  const { url } = await startServer({
    port,
    lastPort: envPort ? port : undefined,
    quiet: false,
  });
  console.log(`RNN Lab: serving ${REPO_ROOT}`);
  console.log(`Open ${url}  (Ctrl+C to stop)`);
}
