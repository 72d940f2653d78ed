// cognito-wasm's JS entry: CognitoClient, CognitoSession, TokenVerifier, SrpSession, secretHash,
// decodeJwt.
//
// A driver, no rules: the wasm core (crate/src/wasm/exports) checks options, builds every
// request from its registry of operations, reads every answer, does SRP and the token checks,
// decides when the JWKS is fetched and when a session is refreshed, and names every error.
// The modules in driver/ only move text between it, fetch, WebCrypto, storage and the SRP
// worker, and keep the promises: `mailbox` calls the core, `client`, `verifier`, `session`,
// `srp` and `worker` are the classes' halves, `net` is fetch, `errors` builds the errors the
// core names. The package ships them as one file,
// bundled from these by the xtask (xtask/src/package.rs).

import { load, loadSync } from './driver/mailbox.js';
import { CognitoClient, defineOperations } from './driver/client.js';
import { TokenVerifier } from './driver/verifier.js';
import { SrpSession } from './driver/srp.js';
import { CognitoSession } from './driver/session.js';

export { CognitoClient, CognitoSession, TokenVerifier, SrpSession };
export { decodeJwt, precomputeSrp, secretHash, srpTimestamp } from './driver/functions.js';
export { challengeStep, totpUri } from './driver/challenge.js';
export { CognitoWasmError, CognitoServiceError, VerificationError } from './driver/errors.js';
// BEGIN generated from the core's error names (crate/tests/js_api.rs): do not edit
export {
  NetworkError,
  TimeoutError,
  MalformedResponseError,
  InvalidInputError,
  PlatformError,
  UserUnAuthenticatedException,
  UserAlreadyAuthenticatedException,
  JwtParseError,
  JwtInvalidSignatureAlgorithmError,
  JwtUnknownCriticalHeaderError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwkInvalidAlgError,
  JwkValidationError,
  JwtInvalidSignatureError,
  JwtInvalidClaimError,
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtNotBeforeError,
  JwtIssuedInFutureError,
  JwtInvalidIssuerError,
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidGroupError,
  JwksFetchError,
  JwksValidationError,
} from './driver/errors.js';
// END generated

/** Loads and instantiates the wasm core (by default `cognito_wasm.wasm` next to this file);
 *  resolves to its exports. Call it, and wait for it, once before anything else. */
export default async function init(input) {
  // Here, in the entry, so that bundlers see the wasm file beside it and emit it.
  const exports = await load(input, () => new URL('./cognito_wasm.wasm', import.meta.url));
  defineOperations();
  return exports;
}

/** `init` from bytes or a compiled module, synchronously. */
export function initSync(input) {
  const exports = loadSync(input);
  defineOperations();
  return exports;
}

for (const c of [CognitoClient, CognitoSession, TokenVerifier, SrpSession]) {
  if (Symbol.dispose) c.prototype[Symbol.dispose] = c.prototype.free;
}
