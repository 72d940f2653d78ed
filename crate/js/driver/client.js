// CognitoClient: the core's registry of operations (crate/src/api/operation.rs) as methods.
// `defineOperations` (run by `init`) adds one method per operation the core lists, so a new
// operation needs no JS; `signInSrp`, made of two operations and SRP, is written here.

import { adopt, ask, json, Owner } from './mailbox.js';
import { parts } from './errors.js';
import { ms, send, url } from './net.js';
import { inLine } from './srp.js';
import { inWorker } from './worker.js';
import { srpTimestamp } from './functions.js';

/** Operations by method name: their position in the core's registry. */
const operations = new Map();

/** The method calling operation `index`, by a key only this module knows. */
const CALL = Symbol('call');

/** A Cognito user-pool client. Every method returns a Promise. */
export class CognitoClient {
  #owner;
  #endpoint;
  #poolName;
  #ms;
  #srp;

  /** Checks the options' shape; sends nothing. */
  constructor(options) {
    const made = ask('client_new', json('CognitoClient options', options));
    const [handle, poolName, endpoint] = parts(made, 2);
    this.#owner = new Owner(adopt(this, 'client', Number(handle)));
    this.#endpoint = url('endpoint', endpoint);
    this.#poolName = poolName;
    this.#ms = ms(options.timeoutMs, 10000);
    this.#srp = options.srpWorker ? inWorker : inLine;
  }

  [CALL](op, args) {
    return this.#owner.run((client) => call(client, this.#endpoint, this.#ms, op, args));
  }

  /** Frees the wasm memory now (or when the calls under way end) rather than when the
   *  object is collected. */
  free() {
    this.#owner.free();
  }

  /** USER_SRP_AUTH: SRP_A, Cognito's PASSWORD_VERIFIER, the password claim, its answer. */
  signInSrp(username, password, clientMetadata) {
    return this.#owner.run(async (client) => {
      const [start, verify] = [operations.get('signInSrp'), operations.get('passwordVerifier')];
      // The inputs checked first (the request itself needs SRP_A): a bad one must not start
      // the worker, nor wait for it.
      request(client, start, [username, password, '', clientMetadata]);
      const srp = this.#srp;
      const session = await srp.start(this.#ms);
      try {
        const args = [username, password, session.a, clientMetadata];
        const first = await call(client, this.#endpoint, this.#ms, start, args);
        if (first.kind !== 'verifier') return first;
        const timestamp = srpTimestamp(Date.now());
        const claim = [this.#poolName, password, first.challenge.parameters, timestamp];
        const signature = await srp.claim(session, claim, this.#ms);
        const answer = [first.challenge, timestamp, signature, clientMetadata];
        return await call(client, this.#endpoint, this.#ms, verify, answer);
      } finally {
        srp.end(session);
      }
    });
  }
}

/** Adds a method to CognitoClient for each operation of the core's registry (its steps, the
 *  SRP sign-in's, excepted): `client.signUp(...args)` asks the core for operation `signUp`'s
 *  request for `args`. Run by `init`, once the core is loaded. */
export function defineOperations() {
  ask('operations', '')
    .split('\n')
    .forEach((line, index) => {
      const [name, step] = line.split(' ');
      if (!name) return;
      operations.set(name, index);
      if (step) return;
      CognitoClient.prototype[name] = function (...args) {
        return this[CALL](index, args);
      };
    });
}

/** The core's request of operation `op` for `args`: [X-Amz-Target, body]. */
function request(client, op, args) {
  return parts(ask('client_request', json('arguments', args), [client.handle, op]), 1);
}

/** One operation: the core's request for `args`, fetched, and the core's reading of the
 *  answer. */
async function call(client, endpoint, timeout, op, args) {
  const [target, body] = request(client, op, args);
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  };
  const [status, kind, text] = await send(endpoint, init, timeout);
  const result = JSON.parse(ask('client_answer', `${kind}\n${text}`, [client.handle, op, status]));
  // A challenge names the user it was asked of, as the request named them: Cognito leaves
  // USERNAME out of most challenges after the first, and confirmSignIn answers as it (the
  // Rust client's `naming`).
  if (result?.kind === 'challenge' && result.challenge.parameters.USERNAME === undefined) {
    const sent = JSON.parse(body);
    const user = (sent.AuthParameters ?? sent.ChallengeResponses)?.USERNAME;
    if (user !== undefined) result.challenge.parameters.USERNAME = user;
  }
  return result ?? undefined;
}
