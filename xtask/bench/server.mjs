// server.mjs: the static server on 127.0.0.1 the browser loads everything from: the bench page
// (page.mjs, bundled by esbuild), a blank page and aws-jwt-verify's bundle for the cold starts,
// and our package's files from WWW_DIR/pkg, all with Cache-Control: no-store. It serves a
// fixed map of routes and nothing else.

import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { bundle } from './bundle.mjs';
import { HERE, WWW_DIR } from './config.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** Serves exactly `routes` (path -> { body } or { file }): no directory access, no guessing. */
export async function serve(routes) {
  const server = createServer(async (req, res) => {
    const route = routes.get((req.url || '/').split(/[?#]/, 1)[0]);
    if (req.method !== 'GET' || !route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    try {
      const body = route.body ?? (await readFile(route.file));
      res.writeHead(200, {
        'Content-Type': route.type,
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`${e}\n`);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

export async function routes() {
  const r = new Map();
  const html = (title, body = '') =>
    Buffer.from(`<!doctype html><meta charset="utf-8"><title>${title}</title>${body}\n`);
  r.set('/', {
    type: TYPES['.html'],
    body: html('cognito-wasm bench', '<script type="module" src="/bench/page.js"></script>'),
  });
  r.set('/blank.html', { type: TYPES['.html'], body: html('cold start') });
  r.set('/favicon.ico', { type: 'image/x-icon', body: Buffer.alloc(0) });
  // `global`: buffer 4.9.2 (ACIJ's) reads it; browser bundlers provide it the same way.
  r.set('/bench/page.js', {
    type: TYPES['.js'],
    body: await bundle(path.join(HERE, 'page.mjs'), { define: { global: 'globalThis' } }),
  });
  r.set('/bench/awsjwt.js', {
    type: TYPES['.js'],
    body: await bundle({
      contents: "export { CognitoJwtVerifier } from 'aws-jwt-verify';",
      resolveDir: HERE,
      sourcefile: 'awsjwt-entry.mjs',
    }),
  });
  const pkg = path.join(WWW_DIR, 'pkg');
  // The package's files: the driver and the wasm.
  for (const entry of await readdir(pkg, { withFileTypes: true, recursive: true })) {
    const type = TYPES[path.extname(entry.name)];
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const url = `/pkg/${path.relative(pkg, file).split(path.sep).join('/')}`;
    if (entry.isFile() && type) r.set(url, { type, file });
  }
  return r;
}
