/// <reference lib="esnext.disposable" />
// cognito-wasm: the types of cognito_wasm.js (the package's entry). Hand-written with it, but
// for CognitoClient's operations, generated from the core's registry (see the block's first line).

/** How to reach one app client of one user pool. */
export interface CognitoClientOptions {
  /** `us-east-1_AbC123xyz`: the region and SRP pool name come from it. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** The app client secret, if it has one. Anyone who can read your page can read it:
   *  public web apps should use a client without a secret. */
  clientSecret?: string;
  /** Another endpoint than `https://cognito-idp.{region}.amazonaws.com/` (an emulator). */
  endpoint?: string;
  /** Milliseconds before a request gives up with `TimeoutError` (default 10000). */
  timeoutMs?: number;
  /** Run SRP's arithmetic (signInSrp) in a Web Worker, so the page never freezes for it on
   *  slow devices. A CSP must allow `worker-src blob:`. Default false. */
  srpWorker?: boolean;
}

/** Where a code went, masked as Cognito reports it. */
export interface CodeDelivery {
  destination?: string;
  deliveryMedium?: "EMAIL" | "SMS" | string;
  attributeName?: string;
}

export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  codeDelivery?: CodeDelivery;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  /** Absent in the answer to a refresh. */
  refreshToken?: string;
  /** Seconds the access token is valid for. */
  expiresIn: number;
  tokenType: string;
}

/** A challenge to answer with `respondToChallenge` (MFA, a new password, ...). */
export interface Challenge {
  name: string;
  session?: string;
  parameters: Record<string, string>;
}

export type SignInResult =
  | { kind: "tokens"; tokens: Tokens }
  | { kind: "challenge"; challenge: Challenge };

/** What a challenge asks (`challengeStep(challenge)`): answer it with `confirmSignIn`. */
export type ChallengeStep =
  /** A new password, with the required attributes the user lacks. */
  | { step: "NEW_PASSWORD_REQUIRED"; requiredAttributes: string[]; userAttributes: Record<string, string> }
  /** The code sent by text message to `destination` (masked). */
  | { step: "SMS_MFA"; destination?: string }
  /** The code sent by email to `destination` (masked). */
  | { step: "EMAIL_OTP"; destination?: string }
  /** A code of the user's authenticator app. */
  | { step: "SOFTWARE_TOKEN_MFA" }
  /** The factor to use, one of `allowed`: the answer to confirmSignIn. */
  | { step: "SELECT_MFA_TYPE"; allowed: string[] }
  /** MFA to set up (the pool requires it): associateSoftwareToken and verifySoftwareToken
   *  with the challenge's session, then confirmSignIn with the session verifySoftwareToken
   *  returned. */
  | { step: "MFA_SETUP"; allowed: string[] }
  /** A challenge this version does not know: answer it with respondToChallenge. */
  | { step: "UNSUPPORTED"; name: string; parameters: Record<string, string> };

/** AssociateSoftwareToken's and VerifySoftwareToken's answer. */
export interface SoftwareTokenResult {
  /** The authenticator app's key, base32 (AssociateSoftwareToken): see `totpUri`. */
  secretCode?: string;
  /** The challenge's next session, when called with MFA_SETUP's. */
  session?: string;
}

export interface CognitoUser {
  username: string;
  attributes: Record<string, string>;
  /** The MFA factors the user has enabled (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP). */
  mfaSettings: string[];
  /** The factor the user prefers, if they chose one. */
  preferredMfa?: string;
}

/** Which tokens a verifier accepts: ID tokens, access tokens, or (null) either. */
export type TokenUse = "id" | "access" | null;

/** What a TokenVerifier accepts. */
export interface TokenVerifierOptions<T extends TokenUse = TokenUse> {
  userPoolId: string;
  /** The app client id(s) whose tokens are accepted. */
  clientId: string | string[];
  /** "id", "access", or null for either: the verified payload's type follows it. */
  tokenUse: T;
  /** Clock skew tolerated on exp, nbf and iat (seconds, default 0). */
  graceSeconds?: number;
  /** If set, cognito:groups must include one of these. */
  groups?: string | string[];
  /** Issuer override (an emulator, moto). */
  issuer?: string;
  /** JWKS URL override (default `{issuer}/.well-known/jwks.json`). */
  jwksUri?: string;
  /** Milliseconds before a JWKS fetch gives up (default 3000). */
  timeoutMs?: number;
}

/** The claims every verified Cognito token carries (the verifier checked them). */
interface CognitoJwtPayloadBase {
  sub: string;
  iss: string;
  exp: number;
  iat?: number;
  auth_time?: number;
  jti?: string;
  origin_jti?: string;
  event_id?: string;
  "cognito:groups"?: string[];
  [claim: string]: unknown;
}

/** A verified ID token's claims: who the user is. */
export interface CognitoIdTokenPayload extends CognitoJwtPayloadBase {
  token_use: "id";
  /** The app client. */
  aud: string;
  "cognito:username": string;
  email?: string;
  email_verified?: boolean;
}

/** A verified access token's claims: what the user may call. */
export interface CognitoAccessTokenPayload extends CognitoJwtPayloadBase {
  token_use: "access";
  /** The app client. */
  client_id: string;
  username: string;
  scope?: string;
}

/** Either kind of verified token's claims. */
export type CognitoJwtPayload = CognitoIdTokenPayload | CognitoAccessTokenPayload;

/** The payload a verifier for `T` resolves to. */
export type VerifiedPayload<T extends TokenUse> = T extends "id"
  ? CognitoIdTokenPayload
  : T extends "access"
    ? CognitoAccessTokenPayload
    : CognitoJwtPayload;

/** A Cognito user-pool client. Every method returns a Promise; failures reject with a
 *  `CognitoWasmError`: a `CognitoServiceError` named as Cognito's exception (with the HTTP
 *  `status`), or one of ours (`NetworkError`, `TimeoutError`, `MalformedResponseError`,
 *  `InvalidInputError`, `PlatformError`). */
export class CognitoClient {
  /** Checks the options' shape; sends nothing. */
  constructor(options: CognitoClientOptions);
  /** USER_SRP_AUTH: proves the password without sending it (Cognito's InitiateAuth, then
   *  the password claim). With `srpWorker`, the arithmetic runs in a Web Worker. */
  signInSrp(username: string, password: string, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  // BEGIN generated from the registry (crate/tests/js_api.rs): do not edit
  /** Registers a user. `attributes`: `email`, `custom:...`, ... as name-value pairs. */
  signUp(username: string, password: string, attributes?: Record<string, string> | null, clientMetadata?: Record<string, string>): Promise<SignUpResult>;
  /** Confirms a sign-up with the code Cognito sent. */
  confirmSignUp(username: string, code: string, clientMetadata?: Record<string, string>): Promise<void>;
  /** Sends the sign-up confirmation code again (the old one stops working). */
  resendConfirmationCode(username: string, clientMetadata?: Record<string, string>): Promise<CodeDelivery>;
  /** Signs in with USER_PASSWORD_AUTH: the password goes to Cognito (over TLS). The app client
   *  must allow the flow; SRP keeps the password on the device. */
  signInPassword(username: string, password: string, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  /** Answers a challenge of a sign-in (MFA, a new password, ...). `responses` must include
   *  USERNAME; SECRET_HASH is added. */
  respondToChallenge(name: string, session: string | null | undefined, responses: Record<string, string>, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  /** Answers a sign-in's challenge with what the user gives: the new password
   *  (NEW_PASSWORD_REQUIRED, with `attributes` for the required ones still missing), the code
   *  (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA), the factor chosen (SELECT_MFA_TYPE), or
   *  nothing (MFA_SETUP, once `verifySoftwareToken` has verified an app with the challenge's
   *  session: pass the challenge with the session it returned). The session, USERNAME and
   *  SECRET_HASH are the library's business. */
  confirmSignIn(challenge: Challenge, answer?: string | null, attributes?: Record<string, string> | null, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  /** A new authenticator-app (TOTP) key: `secretCode` (base32, for the `otpauth://` URI of a
   *  QR code). With the access token of a signed-in user, or with MFA_SETUP's `session`,
   *  which the answer renews. */
  associateSoftwareToken(accessToken?: string | null, session?: string | null): Promise<SoftwareTokenResult>;
  /** Verifies the authenticator app with one of its codes (`friendlyDeviceName` names it).
   *  With the access token, or with MFA_SETUP's `session`: the answer's `session` then
   *  answers the challenge (`confirmSignIn`). */
  verifySoftwareToken(accessToken: string | null | undefined, session: string | null | undefined, code: string, friendlyDeviceName?: string | null): Promise<SoftwareTokenResult>;
  /** The signed-in user's MFA choices, per factor (`totp`, `sms`, `email`): ENABLED (its
   *  preference left as it is), PREFERRED, NOT_PREFERRED (enabled, not preferred) or
   *  DISABLED; a factor left out is left as it is. */
  setUserMfaPreference(accessToken: string, totp?: string | null, sms?: string | null, email?: string | null): Promise<void>;
  /** New ID and access tokens from a refresh token. With a client secret, `username` (the
   *  user's username, or `sub` in alias pools) is needed for SECRET_HASH. */
  refresh(refreshToken: string, username?: string | null, clientMetadata?: Record<string, string>): Promise<Tokens>;
  /** New ID and access tokens from a refresh token, and a new refresh token when the app
   *  client rotates them (which only this call does); works without rotation too. Sends the
   *  client secret itself when there is one, as the API requires. */
  getTokensFromRefreshToken(refreshToken: string, clientMetadata?: Record<string, string>): Promise<Tokens>;
  /** The signed-in user's username and attributes. */
  getUser(accessToken: string): Promise<CognitoUser>;
  /** Signs the user out everywhere: every refresh token and the access tokens minted from
   *  them stop working (ID tokens stay valid for verifiers until they expire). */
  globalSignOut(accessToken: string): Promise<void>;
  /** Revokes one refresh token and the access tokens minted from it (sign-out of this device).
   *  Sends the client secret itself when there is one, as the API requires. */
  revokeToken(refreshToken: string): Promise<void>;
  /** Starts a password reset: Cognito sends a code to the verified email or phone. */
  forgotPassword(username: string, clientMetadata?: Record<string, string>): Promise<CodeDelivery>;
  /** Finishes a password reset with the code and the new password. */
  confirmForgotPassword(username: string, code: string, newPassword: string, clientMetadata?: Record<string, string>): Promise<void>;
  /** Changes the signed-in user's password. */
  changePassword(accessToken: string, previousPassword: string, proposedPassword: string): Promise<void>;
  /** Changes the signed-in user's attributes (a blank value deletes one). A new email or
   *  phone number is sent a code; in a pool that requires verification before an update,
   *  the old value stays, verified, until `verifyUserAttribute` confirms the new one.
   *  Answers where the codes went. */
  updateUserAttributes(accessToken: string, attributes: Record<string, string>, clientMetadata?: Record<string, string>): Promise<CodeDelivery[]>;
  /** Sends a code to verify the signed-in user's email or phone number (`attributeName`). */
  getUserAttributeVerificationCode(accessToken: string, attributeName: string, clientMetadata?: Record<string, string>): Promise<CodeDelivery>;
  /** Verifies the signed-in user's email or phone number with the code Cognito sent. */
  verifyUserAttribute(accessToken: string, attributeName: string, code: string): Promise<void>;
  /** Deletes attributes of the signed-in user (not required or immutable ones). */
  deleteUserAttributes(accessToken: string, attributeNames: string[]): Promise<void>;
  /** Deletes the signed-in user: the account and every session end. */
  deleteUser(accessToken: string): Promise<void>;
  // END generated
  /** Frees the wasm memory now rather than when the object is collected. */
  free(): void;
  /** `free()`, for `using`. */
  [Symbol.dispose](): void;
}

/** Verifies Cognito ID or access tokens against the pool's JWKS (fetched once, cached). */
export class TokenVerifier<T extends TokenUse = TokenUse> {
  /** Checks the options; fetches nothing until the first token (or `prefetch`). */
  constructor(options: TokenVerifierOptions<T>);
  /** Resolves to the token's claims, or rejects with a `VerificationError` subclass named
   *  as aws-jwt-verify names it (`JwtExpiredError`, ...). */
  verify(token: string): Promise<VerifiedPayload<T>>;
  /** Uses this JWKS (the document, as a string or an object) instead of fetching it. */
  cacheJwks(jwks: string | { keys: object[] }): void;
  /** Fetches the JWKS now, so the first verification does not wait for it. */
  prefetch(): Promise<void>;
  /** Frees the wasm memory now rather than when the object is collected. */
  free(): void;
  /** `free()`, for `using`. */
  [Symbol.dispose](): void;
}

/** Where a CognitoSession keeps the session: in memory (the default: nothing outlives the
 *  page), the page's localStorage (shared by its tabs, kept across restarts) or
 *  sessionStorage (this tab, across reloads), or your own store. Anything stored in a page
 *  can be read by any script the page runs (an XSS): see the README. */
export type SessionStorageOption = "memory" | "localStorage" | "sessionStorage" | SessionStorageAdapter;

/** A store of your own: Web Storage's three calls; each may return a promise. */
export interface SessionStorageAdapter {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** A CognitoSession's client (its CognitoClient's options), the verification of its tokens
 *  (the pool's JWKS, this client), and where and how it keeps them. */
export interface CognitoSessionOptions extends CognitoClientOptions {
  /** Where the session is kept (default "memory"). */
  storage?: SessionStorageOption;
  /** Refresh when the tokens expire within this many seconds (default 300; at most half
   *  their lifetime is used). */
  refreshMarginSeconds?: number;
  /** Issuer override for the verifier (an emulator, moto). */
  issuer?: string;
  /** JWKS URL override (default `{issuer}/.well-known/jwks.json`). */
  jwksUri?: string;
}

/** The session's tokens and their verified claims. */
export interface AuthSession {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** The access token's `username`. */
  username: string;
  idClaims: CognitoIdTokenPayload;
  accessClaims: CognitoAccessTokenPayload;
}

/** What a CognitoSession dispatches, as plain `Event`s. */
export type CognitoSessionEventName =
  | "signedIn"
  | "signedOut"
  | "tokenRefresh"
  | "tokenRefreshFailure"
  | "sessionExpired";

/** A signed-in user's session: stored, refreshed before the tokens expire (one refresh at a
 *  time, across the tabs of an origin with localStorage), every token verified against the
 *  pool's JWKS before it is stored or returned. Its events are dispatched on it
 *  (`session.addEventListener("tokenRefresh", ...)`). */
export class CognitoSession extends EventTarget {
  /** Checks the options; sends nothing and reads no storage until the first call. */
  constructor(options: CognitoSessionOptions);
  /** The session's client, for the calls that need no session (sign-up, challenges, ...). */
  readonly client: CognitoClient;
  /** The key the session is stored under: `cognito-wasm.{userPoolId}.{clientId}`. */
  readonly storageKey: string;
  /** USER_SRP_AUTH: tokens start the session; a challenge comes back as it is (answer it
   *  with `confirmSignIn`). UserAlreadyAuthenticatedException when someone is signed in. */
  signInSrp(username: string, password: string, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  /** USER_PASSWORD_AUTH, as `signInSrp` otherwise. */
  signInPassword(username: string, password: string, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  /** Answers a sign-in's challenge (as `CognitoClient.confirmSignIn`): tokens start the
   *  session, verified; the next challenge comes back as it is. */
  confirmSignIn(challenge: Challenge, answer?: string | null, attributes?: Record<string, string> | null, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  /** Starts the session with a sign-in's tokens (from any flow): verified, then stored. */
  start(tokens: Tokens): Promise<void>;
  /** The tokens and their verified claims, refreshed first when they expire within the
   *  margin (or when `forceRefresh`). UserUnAuthenticatedException when nobody is signed in;
   *  NetworkError (or the refresh's error) when they have expired and cannot be refreshed. */
  getSession(options?: { forceRefresh?: boolean }): Promise<AuthSession>;
  /** The signed-in user, from the verified ID token, without a request.
   *  UserUnAuthenticatedException when nobody is signed in. */
  getCurrentUser(): Promise<{ username: string; userId: string }>;
  /** Signs out here (RevokeToken) or everywhere (`global`: GlobalSignOut). Storage is cleared
   *  whatever the network does; its error, if any, comes after. */
  signOut(options?: { global?: boolean }): Promise<void>;
  /** Reads the stored session again (another tab's change). Automatic with localStorage. */
  syncFromStorage(): Promise<void>;
  /** Takes over the session amazon-cognito-identity-js or Amplify JS v6 stored for this app
   *  client (their `CognitoIdentityServiceProvider.{clientId}.*` keys; localStorage by
   *  default), verified. False when someone is signed in here or there is none. */
  importAmazonCognitoIdentityJs(from?: "localStorage" | "sessionStorage" | SessionStorageAdapter): Promise<boolean>;
  addEventListener(type: CognitoSessionEventName, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener(type: CognitoSessionEventName, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  /** Frees the wasm memory now, and stops listening to other tabs. */
  free(): void;
  /** `free()`, for `using`. */
  [Symbol.dispose](): void;
}

/** The client side of one SRP sign-in, for custom flows: `publicA` goes to InitiateAuth as
 *  SRP_A, then `passwordClaim` answers the PASSWORD_VERIFIER challenge.
 *  `CognitoClient.signInSrp` does all of this for you. */
export class SrpSession {
  /** A fresh random secret and its public value A. */
  constructor();
  /** SRP_A, hex. */
  readonly publicA: string;
  /** PASSWORD_CLAIM_SIGNATURE for the PASSWORD_VERIFIER challenge's parameters (as Cognito
   *  sends them: SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP) at `timestamp`
   *  (`ddd MMM D HH:mm:ss UTC YYYY`, see `srpTimestamp`). */
  passwordClaim(poolName: string, password: string, parameters: Record<string, string>, timestamp: string): string;
  /** Frees the wasm memory now rather than when the object is collected. */
  free(): void;
  /** `free()`, for `using`. */
  [Symbol.dispose](): void;
}

/** The base of every error the package throws: `name` says what happened, `code` repeats
 *  it (as amazon-cognito-identity-js has it). */
export class CognitoWasmError extends Error {
  /** As the package builds them; for tests and mocks that need one. */
  constructor(name: string, message: string, status?: number);
  readonly name: CognitoWasmErrorName;
  readonly code: CognitoWasmErrorName;
  /** The HTTP status of Cognito's answer, for a `CognitoServiceError`. */
  readonly status?: number;
}

/** An exception Cognito answered with, named as Cognito names it. */
export class CognitoServiceError extends CognitoWasmError {
  readonly name: CognitoExceptionName;
  readonly code: CognitoExceptionName;
  readonly status: number;
}

/** A token the verifier refused; each reason is a subclass named as aws-jwt-verify names it. */
export class VerificationError extends CognitoWasmError {
  readonly name: VerificationErrorName;
  readonly code: VerificationErrorName;
}

/** Every error name: Cognito's exceptions, ours, and the verifier's. */
export type CognitoWasmErrorName = CognitoExceptionName | OurErrorName | VerificationErrorName;

// BEGIN generated from the core's error names (crate/tests/js_api.rs): do not edit
export type CognitoExceptionName =
  | "UsernameExistsException"
  | "InvalidPasswordException"
  | "InvalidParameterException"
  | "CodeMismatchException"
  | "ExpiredCodeException"
  | "UserNotConfirmedException"
  | "NotAuthorizedException"
  | "UserNotFoundException"
  | "PasswordResetRequiredException"
  | "LimitExceededException"
  | "TooManyRequestsException"
  | "TooManyFailedAttemptsException"
  | "CodeDeliveryFailureException"
  | "ResourceNotFoundException"
  | "UnauthorizedException"
  | "UnsupportedTokenTypeException"
  | "InternalErrorException"
  | "SerializationException"
  | "UnknownOperationException"
  | "RefreshTokenReuseException"
  | (string & {}); // others Cognito may add
export type OurErrorName =
  | "NetworkError"
  | "TimeoutError"
  | "MalformedResponseError"
  | "InvalidInputError"
  | "PlatformError"
  | "UserUnAuthenticatedException"
  | "UserAlreadyAuthenticatedException";
export type VerificationErrorName =
  | "JwtParseError"
  | "JwtInvalidSignatureAlgorithmError"
  | "JwtUnknownCriticalHeaderError"
  | "JwtWithoutValidKidError"
  | "KidNotFoundInJwksError"
  | "JwkInvalidKtyError"
  | "JwkInvalidUseError"
  | "JwkInvalidAlgError"
  | "JwkValidationError"
  | "JwtInvalidSignatureError"
  | "JwtInvalidClaimError"
  | "CognitoJwtInvalidTokenUseError"
  | "JwtExpiredError"
  | "JwtNotBeforeError"
  | "JwtIssuedInFutureError"
  | "JwtInvalidIssuerError"
  | "CognitoJwtInvalidClientIdError"
  | "CognitoJwtInvalidGroupError"
  | "JwksFetchError"
  | "JwksValidationError";
export class NetworkError extends CognitoWasmError {
  readonly name: "NetworkError";
}
export class TimeoutError extends CognitoWasmError {
  readonly name: "TimeoutError";
}
export class MalformedResponseError extends CognitoWasmError {
  readonly name: "MalformedResponseError";
}
export class InvalidInputError extends CognitoWasmError {
  readonly name: "InvalidInputError";
}
export class PlatformError extends CognitoWasmError {
  readonly name: "PlatformError";
}
export class UserUnAuthenticatedException extends CognitoWasmError {
  readonly name: "UserUnAuthenticatedException";
}
export class UserAlreadyAuthenticatedException extends CognitoWasmError {
  readonly name: "UserAlreadyAuthenticatedException";
}
export type JwtInvalidClaimErrorName =
  | "JwtInvalidClaimError"
  | "CognitoJwtInvalidTokenUseError"
  | "JwtExpiredError"
  | "JwtNotBeforeError"
  | "JwtIssuedInFutureError"
  | "JwtInvalidIssuerError"
  | "CognitoJwtInvalidClientIdError"
  | "CognitoJwtInvalidGroupError";
export class JwtParseError extends VerificationError {
  readonly name: "JwtParseError";
}
export class JwtInvalidSignatureAlgorithmError extends VerificationError {
  readonly name: "JwtInvalidSignatureAlgorithmError";
}
export class JwtUnknownCriticalHeaderError extends VerificationError {
  readonly name: "JwtUnknownCriticalHeaderError";
}
export class JwtWithoutValidKidError extends VerificationError {
  readonly name: "JwtWithoutValidKidError";
}
export class KidNotFoundInJwksError extends VerificationError {
  readonly name: "KidNotFoundInJwksError";
}
export class JwkInvalidKtyError extends VerificationError {
  readonly name: "JwkInvalidKtyError";
}
export class JwkInvalidUseError extends VerificationError {
  readonly name: "JwkInvalidUseError";
}
export class JwkInvalidAlgError extends VerificationError {
  readonly name: "JwkInvalidAlgError";
}
export class JwkValidationError extends VerificationError {
  readonly name: "JwkValidationError";
}
export class JwtInvalidSignatureError extends VerificationError {
  readonly name: "JwtInvalidSignatureError";
}
export class JwtInvalidClaimError extends VerificationError {
  readonly name: JwtInvalidClaimErrorName;
}
export class CognitoJwtInvalidTokenUseError extends JwtInvalidClaimError {
  readonly name: "CognitoJwtInvalidTokenUseError";
}
export class JwtExpiredError extends JwtInvalidClaimError {
  readonly name: "JwtExpiredError";
}
export class JwtNotBeforeError extends JwtInvalidClaimError {
  readonly name: "JwtNotBeforeError";
}
export class JwtIssuedInFutureError extends JwtInvalidClaimError {
  readonly name: "JwtIssuedInFutureError";
}
export class JwtInvalidIssuerError extends JwtInvalidClaimError {
  readonly name: "JwtInvalidIssuerError";
}
export class CognitoJwtInvalidClientIdError extends JwtInvalidClaimError {
  readonly name: "CognitoJwtInvalidClientIdError";
}
export class CognitoJwtInvalidGroupError extends JwtInvalidClaimError {
  readonly name: "CognitoJwtInvalidGroupError";
}
export class JwksFetchError extends VerificationError {
  readonly name: "JwksFetchError";
}
export class JwksValidationError extends VerificationError {
  readonly name: "JwksValidationError";
}
// END generated

/** A token's claims WITHOUT verification: for display, never for decisions. */
export function decodeJwt(token: string): Record<string, unknown>;

/** Builds SRP's tables (a few milliseconds) now, so the first `signInSrp` does not pay for
 *  them: call it when the sign-in form appears. */
export function precomputeSrp(): void;

/** `SECRET_HASH` for a username: base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string;

/** The TIMESTAMP of a password claim for a time in milliseconds since the epoch. */
export function srpTimestamp(epochMs: number): string;

/** What a sign-in's challenge asks. A parameter that is not what Cognito sends (a list, an
 *  object, JSON) throws a MalformedResponseError. */
export function challengeStep(challenge: Challenge): ChallengeStep;

/** The `otpauth://totp/...` URI of an authenticator app's key, for a QR code: `issuer` is
 *  what the app shows the account under, `account` the user, `secret` the `secretCode`. */
export function totpUri(issuer: string, account: string, secret: string): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** Loads and instantiates the wasm core (by default `cognito_wasm.wasm` next to this
 *  file). Call it, and wait for it, once before anything else. */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** `init` from bytes or a compiled module, synchronously. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;
