// fetch, as the core reads its outcome.

import { error } from './errors.js';
import { loaded } from './mailbox.js';

/** One fetch: [status, x-amzn-errortype, body], or [0, why, message] when there was no answer. */
export async function send(url, init, timeout) {
  try {
    const r = await fetch(url, {
      ...init,
      credentials: 'omit',
      mode: 'cors',
      signal: AbortSignal.timeout(timeout),
    });
    return [r.status, r.headers.get('x-amzn-errortype') ?? '', capped(await r.text())];
  } catch (e) {
    const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    return [0, timedOut ? 'TimeoutError' : 'NetworkError', String(e)];
  }
}

/** A body longer than the core reads (cw_max_answer_bytes: 1 MiB, and a JWKS less) as its
 *  first max + 1 characters: at least max + 1 bytes, refused by the core by length alone, as
 *  the whole body would be, without growing the core's memory (it never shrinks) by its size. */
function capped(body) {
  const max = loaded().cw_max_answer_bytes() >>> 0;
  return body.length > max ? body.slice(0, max + 1) : body;
}

/** A time-out option the core accepted (a whole number, or absent: then `fallback`). */
export function ms(value, fallback) {
  return Number.isFinite(value) ? value : fallback;
}

/** An endpoint the core accepted (http or https), checked as a URL: fetch would call a bad
 *  one a network failure. */
export function url(what, value) {
  try {
    new URL(value);
    return value;
  } catch {
    throw error('InvalidInputError', `invalid input: ${what} ${JSON.stringify(value)} is not a URL`);
  }
}
