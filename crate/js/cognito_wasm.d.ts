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

export interface CognitoUser {
  username: string;
  attributes: Record<string, string>;
}

/** What a TokenVerifier accepts. */
export interface TokenVerifierOptions {
  userPoolId: string;
  /** The app client id(s) whose tokens are accepted. */
  clientId: string | string[];
  /** "id", "access", or null for either. */
  tokenUse: "id" | "access" | null;
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

/** The claims of a verified Cognito token, as the token carries them. */
export interface CognitoJwtPayload {
  sub: string;
  iss: string;
  token_use: "id" | "access";
  exp: number;
  iat: number;
  auth_time: number;
  jti?: string;
  origin_jti?: string;
  event_id?: string;
  /** ID tokens */
  aud?: string;
  "cognito:username"?: string;
  email?: string;
  email_verified?: boolean;
  /** Access tokens */
  client_id?: string;
  username?: string;
  scope?: string;
  "cognito:groups"?: string[];
  [claim: string]: unknown;
}

/** A Cognito user-pool client. Every method returns a Promise; failures reject with an Error
 *  whose `name` (and `code`) is Cognito's exception name or ours (`NetworkError`,
 *  `TimeoutError`, `MalformedResponseError`, `InvalidInputError`, `PlatformError`), and whose
 *  `status` is the HTTP status of Cognito's answer, when there was one. */
export class CognitoClient {
  /** Checks the options' shape; sends nothing. */
  constructor(options: CognitoClientOptions);
  /** USER_SRP_AUTH: proves the password without sending it (Cognito's InitiateAuth, then
   *  the password claim). With `srpWorker`, the arithmetic runs in a Web Worker. */
  signInSrp(username: string, password: string, clientMetadata?: Record<string, string>): Promise<SignInResult>;
  // BEGIN generated from the registry (crate/tests/typescript_api.rs): do not edit
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
  /** New ID and access tokens from a refresh token. With a client secret, `username` (the
   *  user's username, or `sub` in alias pools) is needed for SECRET_HASH. */
  refresh(refreshToken: string, username?: string | null, clientMetadata?: Record<string, string>): Promise<Tokens>;
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
}

/** Verifies Cognito ID or access tokens against the pool's JWKS (fetched once, cached). */
export class TokenVerifier {
  /** Checks the options; fetches nothing until the first token (or `prefetch`). */
  constructor(options: TokenVerifierOptions);
  /** Resolves to the token's claims, or rejects with the reason as `error.name`
   *  (aws-jwt-verify's error names). */
  verify(token: string): Promise<CognitoJwtPayload>;
  /** Uses this JWKS (the document, as a string or an object) instead of fetching it. */
  cacheJwks(jwks: string | { keys: object[] }): void;
  /** Fetches the JWKS now, so the first verification does not wait for it. */
  prefetch(): Promise<void>;
  /** Frees the wasm memory now rather than when the object is collected. */
  free(): void;
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
}

/** A token's claims WITHOUT verification: for display, never for decisions. */
export function decodeJwt(token: string): Record<string, unknown>;

/** Builds SRP's tables (a few milliseconds) now, so the first `signInSrp` does not pay for
 *  them: call it when the sign-in form appears. */
export function precomputeSrp(): void;

/** `SECRET_HASH` for a username: base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string;

/** The TIMESTAMP of a password claim for a time in milliseconds since the epoch. */
export function srpTimestamp(epochMs: number): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** Loads and instantiates the wasm core (by default `cognito_wasm.wasm` next to this
 *  file). Call it, and wait for it, once before anything else. */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** `init` from bytes or a compiled module, synchronously. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;
