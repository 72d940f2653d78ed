// bundle.mjs: esbuild as an app would ship with it. The bytes measured (bytes.mjs) and the
// scripts the bench page loads (server.mjs) are bundled the same way.

import * as esbuild from 'esbuild';

/** esbuild: bundle, minify, format esm, platform browser. `entry`: a path, or esbuild's stdin. */
export async function bundle(entry, extra = {}) {
  const result = await esbuild.build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: entry }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
    ...extra,
  });
  return Buffer.from(result.outputFiles[0].contents);
}
