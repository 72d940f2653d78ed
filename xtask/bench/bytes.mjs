// bytes.mjs: the bytes measure. Our release package (wasm + the JS driver) beside the
// anchors' esbuild bundle (anchor.mjs), minified / gzip -9 / brotli 11, and the ceiling,
// Amplify JS's auth module with every call (amplify.mjs); nothing here runs in the browser.

import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { bundle } from './bundle.mjs';
import { HERE, PKG_DIR } from './config.mjs';
import { fmtKB, smallerBetter } from './report.mjs';

function compressed(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 11,
        [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** Every JS file of the package as shipped (the driver, one file since the registry). */
async function shippedJs(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) {
      files.push(await readFile(path.join(entry.parentPath ?? entry.path, entry.name)));
    }
  }
  return files.map(compressed).reduce(
    (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

export async function measureBytes() {
  console.log('bytes: esbuild bundle of the anchors, our package');
  const wasm = await readFile(path.join(PKG_DIR, 'cognito_wasm.wasm'));
  const anchor = await bundle(path.join(HERE, 'anchor.mjs'));
  const w = compressed(wasm);
  // Our JS measured as the anchors' is: bundled and minified by esbuild from the entry (the
  // driver is all the JS there is). As shipped (unminified) too, for the record.
  const j = compressed(await bundle(path.join(PKG_DIR, 'cognito_wasm.js')));
  return {
    wasm: w,
    js: j,
    jsShipped: await shippedJs(PKG_DIR),
    pkg: { raw: w.raw + j.raw, gzip: w.gzip + j.gzip, brotli: w.brotli + j.brotli },
    anchor: compressed(anchor),
    ceiling: compressed(await bundle(path.join(HERE, 'amplify.mjs'))),
  };
}

/** The table's rows and summary.json's fields for `measureBytes()`'s answer. */
export function bytesReport(bytes) {
  const rows = [
    [
      'bytes, raw / minified (ours: wasm + JS minified; anchor: ACIJ + aws-jwt-verify)',
      fmtKB(bytes.pkg.raw),
      fmtKB(bytes.anchor.raw),
      smallerBetter(bytes.pkg.raw, bytes.anchor.raw, ['smaller', 'larger']),
    ],
    [
      'bytes, gzip -9',
      fmtKB(bytes.pkg.gzip),
      fmtKB(bytes.anchor.gzip),
      smallerBetter(bytes.pkg.gzip, bytes.anchor.gzip, ['smaller', 'larger']),
    ],
    [
      'bytes, brotli 11',
      fmtKB(bytes.pkg.brotli),
      fmtKB(bytes.anchor.brotli),
      smallerBetter(bytes.pkg.brotli, bytes.anchor.brotli, ['smaller', 'larger']),
    ],
    [
      'bytes, gzip -9: ours against the ceiling (Amplify JS auth, every call; amplify.mjs)',
      fmtKB(bytes.pkg.gzip),
      fmtKB(bytes.ceiling.gzip),
      smallerBetter(bytes.pkg.gzip, bytes.ceiling.gzip, ['smaller', 'larger']),
    ],
    [
      '  ours: wasm (raw / gzip / brotli)',
      `${fmtKB(bytes.wasm.raw)} / ${fmtKB(bytes.wasm.gzip)} / ${fmtKB(bytes.wasm.brotli)}`,
      '',
      '',
    ],
    [
      '  ours: JS driver, esbuild-minified (raw / gzip / brotli)',
      `${fmtKB(bytes.js.raw)} / ${fmtKB(bytes.js.gzip)} / ${fmtKB(bytes.js.brotli)}`,
      '',
      '',
    ],
    [
      '  ours: JS as shipped, unminified (raw / gzip / brotli)',
      `${fmtKB(bytes.jsShipped.raw)} / ${fmtKB(bytes.jsShipped.gzip)} / ${fmtKB(bytes.jsShipped.brotli)}`,
      '',
      '',
    ],
  ];
  const fields = {
    pkg_wasm_bytes: bytes.wasm.raw,
    pkg_wasm_gzip_bytes: bytes.wasm.gzip,
    pkg_wasm_brotli_bytes: bytes.wasm.brotli,
    pkg_js_bytes: bytes.js.raw,
    pkg_js_gzip_bytes: bytes.js.gzip,
    pkg_js_brotli_bytes: bytes.js.brotli,
    pkg_js_shipped_bytes: bytes.jsShipped.raw,
    pkg_js_shipped_gzip_bytes: bytes.jsShipped.gzip,
    pkg_bytes: bytes.pkg.raw,
    pkg_gzip_bytes: bytes.pkg.gzip,
    pkg_brotli_bytes: bytes.pkg.brotli,
    anchor_min_bytes: bytes.anchor.raw,
    anchor_gzip_bytes: bytes.anchor.gzip,
    anchor_brotli_bytes: bytes.anchor.brotli,
    amplify_auth_min_bytes: bytes.ceiling.raw,
    amplify_auth_gzip_bytes: bytes.ceiling.gzip,
  };
  return { rows, fields, samples: {} };
}
