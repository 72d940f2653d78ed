// machine.mjs: the conditions of the run, recorded beside the numbers. On a shared machine
// other work slows both sides, unevenly: wait for the CPUs to be quiet before measuring and
// say how busy they were; and the versions of the anchors and of esbuild.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { HERE, QUIET_PCT, WAIT_QUIET_S } from './config.mjs';

/**
 * Waits for quiet (waitForQuiet), then says so if the CPUs were still busy: how busy they were
 * (`busy`, percent) and the load average (`load`, os.loadavg()) just before measuring.
 */
export async function quietBefore() {
  const busy = await waitForQuiet();
  const load = os.loadavg();
  if (busy > QUIET_PCT) {
    console.log(
      `note: the CPUs were ${busy.toFixed(0)}% busy before the run (load average ` +
        `${load[0].toFixed(2)}): other work may skew the numbers`,
    );
  }
  return { busy, load };
}

/**
 * On a shared machine another build or test run would slow both sides, unevenly: waits up to
 * WAIT_QUIET_S for the CPUs to be under QUIET_PCT% busy over two seconds. Returns how busy they
 * were when we started.
 */
async function waitForQuiet() {
  const deadline = Date.now() + WAIT_QUIET_S * 1000;
  let busy = await cpuBusy(2000);
  if (busy > QUIET_PCT && Date.now() < deadline) {
    console.log(`the CPUs are ${busy.toFixed(0)}% busy: waiting up to ${WAIT_QUIET_S} s for quiet`);
  }
  while (busy > QUIET_PCT && Date.now() < deadline) busy = await cpuBusy(2000);
  return busy;
}

/** The share of all CPUs' time spent busy over the next `ms` (Linux /proc/stat). */
async function cpuBusy(ms) {
  const sample = async () => {
    const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/);
    const n = fields.slice(0, 8).map(Number);
    return { total: n.reduce((a, b) => a + b, 0), idle: n[3] + n[4] };
  };
  try {
    const a = await sample();
    await new Promise((ok) => setTimeout(ok, ms));
    const b = await sample();
    return (100 * (b.total - a.total - (b.idle - a.idle))) / Math.max(1, b.total - a.total);
  } catch {
    return 0; // not Linux: unknown
  }
}

async function packageVersion(name) {
  const text = await readFile(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8');
  return JSON.parse(text).version;
}

/** The versions of the anchors and of esbuild, as installed in xtask/bench/node_modules. */
export async function versions() {
  return {
    'amazon-cognito-identity-js': await packageVersion('amazon-cognito-identity-js'),
    'aws-jwt-verify': await packageVersion('aws-jwt-verify'),
    'aws-amplify': await packageVersion('aws-amplify'),
    esbuild: esbuildVersion,
  };
}
