// What a sign-in's challenge asks, for an app to decide what to show: the JS half of the
// core's `Challenge::step` (crate/src/api/answers.rs), whose tests hold the rules; here
// Cognito's JSON-in-a-parameter lists are read with JSON.parse rather than carried through
// the wasm, refused with the core's error and messages. And the `otpauth://` URI of an
// authenticator app's key (`totp_uri` in Rust).

import { InvalidInputError, MalformedResponseError } from './errors.js';

/** The core's MalformedResponseError, with its message (crate/src/error.rs). */
function malformed(problem) {
  return new MalformedResponseError('MalformedResponseError', `unreadable answer from Cognito: ${problem}`);
}

/** The parameter `name` as JSON; absent is `absent`. */
function json(parameters, name, absent) {
  const text = parameters[name];
  if (text === undefined) return absent;
  try {
    return JSON.parse(text);
  } catch {
    throw malformed(`${name} is not JSON`);
  }
}

/** The parameter `name`, a JSON list of strings; absent is []. */
function list(parameters, name) {
  const value = json(parameters, name, []);
  if (!Array.isArray(value)) throw malformed(`${name} is not a list`);
  if (value.some((v) => typeof v !== 'string')) {
    throw malformed(`${name} holds a non-string`);
  }
  return value;
}

/** `{step, ...}`: what `challenge` (a sign-in's, `result.challenge`) asks. */
export function challengeStep(challenge) {
  if (typeof challenge !== 'object' || challenge === null || typeof challenge.name !== 'string') {
    throw new InvalidInputError('InvalidInputError', "invalid input: challengeStep takes a sign-in's challenge");
  }
  const p = challenge.parameters ?? {};
  const destination = p.CODE_DELIVERY_DESTINATION;
  switch (challenge.name) {
    case 'NEW_PASSWORD_REQUIRED': {
      const attributes = json(p, 'userAttributes', {});
      if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
        throw malformed('userAttributes is not an object');
      }
      const userAttributes = {};
      for (const [k, v] of Object.entries(attributes)) {
        if (typeof v === 'string') userAttributes[k] = v;
      }
      const requiredAttributes = list(p, 'requiredAttributes').map((n) =>
        n.startsWith('userAttributes.') ? n.slice(15) : n,
      );
      return { step: 'NEW_PASSWORD_REQUIRED', requiredAttributes, userAttributes };
    }
    case 'SMS_MFA':
      return { step: 'SMS_MFA', destination };
    case 'EMAIL_OTP':
    case 'EMAIL_MFA':
      return { step: 'EMAIL_OTP', destination };
    case 'SOFTWARE_TOKEN_MFA':
      return { step: 'SOFTWARE_TOKEN_MFA' };
    case 'SELECT_MFA_TYPE':
      return { step: 'SELECT_MFA_TYPE', allowed: list(p, 'MFAS_CAN_CHOOSE') };
    case 'MFA_SETUP':
      return { step: 'MFA_SETUP', allowed: list(p, 'MFAS_CAN_SETUP') };
    default:
      return { step: 'UNSUPPORTED', name: challenge.name, parameters: p };
  }
}

/** Percent-encoding of everything but RFC 3986's unreserved characters, as `totp_uri`'s. */
function encode(text) {
  try {
    return encodeURIComponent(String(text)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    // A lone surrogate: not text a URI can carry.
    throw new InvalidInputError('InvalidInputError', 'invalid input: totpUri takes well-formed text');
  }
}

/** `otpauth://totp/{issuer}:{account}?secret=...&issuer=...`: what an authenticator app scans. */
export function totpUri(issuer, account, secret) {
  const i = encode(issuer);
  return `otpauth://totp/${i}:${encode(account)}?secret=${encode(secret)}&issuer=${i}`;
}
