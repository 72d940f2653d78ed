// The package's errors. Every failure is a CognitoWasmError whose `name` (and `code`, as
// amazon-cognito-identity-js has it) says what happened, with the HTTP `status` of Cognito's
// answer when there was one, and whose class is its family: CognitoServiceError for
// Cognito's exceptions (by their name), VerificationError's subclasses for the verifier's
// (aws-jwt-verify's class names), and one class for each of ours. The core names every
// error; this module only builds them.

/** The base of every error the package throws. */
export class CognitoWasmError extends Error {
  constructor(name, message, status) {
    super(message);
    this.name = name;
    this.code = name;
    if (status !== undefined) this.status = status;
  }
}

/** An exception Cognito answered with (`name`: its name, `status`: the HTTP status). */
export class CognitoServiceError extends CognitoWasmError {}

/** A token the verifier refused; each reason is a subclass named as aws-jwt-verify names it. */
export class VerificationError extends CognitoWasmError {}

/** A class for the error `name`, in `family`. */
function kind(family, name) {
  const named = { [name]: class extends family {} }[name];
  byName.set(name, named);
  return named;
}

const byName = new Map();

// BEGIN generated from the core's error names (crate/tests/js_api.rs): do not edit
export const NetworkError = kind(CognitoWasmError, 'NetworkError');
export const TimeoutError = kind(CognitoWasmError, 'TimeoutError');
export const MalformedResponseError = kind(CognitoWasmError, 'MalformedResponseError');
export const InvalidInputError = kind(CognitoWasmError, 'InvalidInputError');
export const PlatformError = kind(CognitoWasmError, 'PlatformError');
export const UserUnAuthenticatedException = kind(CognitoWasmError, 'UserUnAuthenticatedException');
export const UserAlreadyAuthenticatedException = kind(CognitoWasmError, 'UserAlreadyAuthenticatedException');
export const JwtParseError = kind(VerificationError, 'JwtParseError');
export const JwtInvalidSignatureAlgorithmError = kind(VerificationError, 'JwtInvalidSignatureAlgorithmError');
export const JwtUnknownCriticalHeaderError = kind(VerificationError, 'JwtUnknownCriticalHeaderError');
export const JwtWithoutValidKidError = kind(VerificationError, 'JwtWithoutValidKidError');
export const KidNotFoundInJwksError = kind(VerificationError, 'KidNotFoundInJwksError');
export const JwkInvalidKtyError = kind(VerificationError, 'JwkInvalidKtyError');
export const JwkInvalidUseError = kind(VerificationError, 'JwkInvalidUseError');
export const JwkInvalidAlgError = kind(VerificationError, 'JwkInvalidAlgError');
export const JwkValidationError = kind(VerificationError, 'JwkValidationError');
export const JwtInvalidSignatureError = kind(VerificationError, 'JwtInvalidSignatureError');
export const JwtInvalidClaimError = kind(VerificationError, 'JwtInvalidClaimError');
export const CognitoJwtInvalidTokenUseError = kind(JwtInvalidClaimError, 'CognitoJwtInvalidTokenUseError');
export const JwtExpiredError = kind(JwtInvalidClaimError, 'JwtExpiredError');
export const JwtNotBeforeError = kind(JwtInvalidClaimError, 'JwtNotBeforeError');
export const JwtIssuedInFutureError = kind(JwtInvalidClaimError, 'JwtIssuedInFutureError');
export const JwtInvalidIssuerError = kind(JwtInvalidClaimError, 'JwtInvalidIssuerError');
export const CognitoJwtInvalidClientIdError = kind(JwtInvalidClaimError, 'CognitoJwtInvalidClientIdError');
export const CognitoJwtInvalidGroupError = kind(JwtInvalidClaimError, 'CognitoJwtInvalidGroupError');
export const JwksFetchError = kind(VerificationError, 'JwksFetchError');
export const JwksValidationError = kind(VerificationError, 'JwksValidationError');
// END generated

/** An error named `name`, of its class: Cognito's answers (only they have a `status`) are
 *  CognitoServiceErrors whatever their name, the others are ours by name. */
export function error(name, message, status) {
  const family = status !== undefined ? CognitoServiceError : byName.get(name);
  return new (family ?? CognitoWasmError)(name, message, status);
}

/** The core's errors arrive as `name \n status \n message`. */
export function fail(text) {
  const [name, status, message] = parts(text, 2);
  return error(name, message, status ? Number(status) : undefined);
}

/** The module trapped (a bug in the core, never a bad input or answer). */
export function stopped(why) {
  const message = `platform: the wasm module stopped (${why}); reload the page, and please report it`;
  return error('PlatformError', message);
}

/** A thrown value as text (`OperationError: ...`), even one whose `toString` throws. */
export function shown(e) {
  try {
    return String(e);
  } catch {
    return 'a value that cannot be shown';
  }
}

/** `text` up to its first `count` newlines, and the rest (fewer parts if it has fewer). */
export function parts(text, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const at = text.indexOf('\n');
    if (at < 0) break;
    out.push(text.slice(0, at));
    text = text.slice(at + 1);
  }
  out.push(text);
  return out;
}
