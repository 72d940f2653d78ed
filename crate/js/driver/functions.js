// The package's small functions.

import { ask, json, loaded } from './mailbox.js';

/** A token's claims WITHOUT verification: for display, never for decisions. */
export function decodeJwt(token) {
  return JSON.parse(ask('decode_jwt', String(token)));
}

/** Builds SRP's tables (a few milliseconds) now, so the first sign-in does not pay for them. */
export function precomputeSrp() {
  loaded().cw_precompute_srp();
}

/** `SECRET_HASH` for a username: base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHash(clientSecret, username, clientId) {
  return ask('secret_hash', json('arguments', [clientSecret, username, clientId]));
}

/** The TIMESTAMP of a password claim for a time in milliseconds since the epoch. */
export function srpTimestamp(epochMs) {
  return ask('srp_timestamp', '', [Number(epochMs)]);
}
