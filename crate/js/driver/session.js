// CognitoSession: a signed-in user's session, kept, refreshed before it expires (one refresh
// at a time, across the tabs of an origin too) and verified. The core decides
// (crate/src/wasm/exports/session.rs, on the Rust API's state machine, crate/src/session):
// when to refresh, what to store, which events happened, what each error is. This signs in,
// refreshes, verifies every token (with the session's TokenVerifier) before the core takes
// it, reads and writes the storage, holds the lock across tabs and dispatches the events.

import { adopt, ask, json, Owner } from './mailbox.js';
import { error, fail, parts, shown } from './errors.js';
import { CognitoClient } from './client.js';
import { TokenVerifier, UNCLOCKED } from './verifier.js';

/** The options that are the session's CognitoClient's (the core's CLIENT_OPTIONS, which
 *  checks them first, with the session's own). */
const CLIENT = ['userPoolId', 'clientId', 'clientSecret', 'endpoint', 'timeoutMs', 'srpWorker'];

/** The options that are the session's TokenVerifier's (it accepts both kinds of token: the
 *  core checks which is which). */
const VERIFIER = ['userPoolId', 'clientId', 'issuer', 'jwksUri'];

const now = () => Date.now() / 1000;

/** How long a tab waits, after another tab's refresh, for its tokens to reach it. */
const OTHER_TAB_MS = 1000;

function pick(options, names) {
  const out = {};
  for (const n of names) if (options[n] !== undefined) out[n] = options[n];
  return out;
}

/** The page's Web Storage `name`, or undefined where reading it throws (a sandboxed frame,
 *  storage blocked). */
function webStorage(name) {
  try {
    return globalThis[name];
  } catch {
    return undefined;
  }
}

/** The storage: in memory (the default: nothing outlives the page), the page's localStorage
 *  or sessionStorage, or an adapter with getItem, setItem and removeItem (which may return
 *  promises); and whether the origin's tabs share it (localStorage). */
function storageOf(storage) {
  if (storage == null || storage === 'memory') {
    const m = new Map();
    const store = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
    return [store, false];
  }
  const s = storage === 'localStorage' || storage === 'sessionStorage' ? webStorage(storage) : storage;
  if (['getItem', 'setItem', 'removeItem'].every((f) => typeof s?.[f] === 'function')) {
    return [s, s === webStorage('localStorage')];
  }
  const named = storage === 'localStorage' || storage === 'sessionStorage';
  const why = named ? `${storage} is not available here` : 'must be "memory", "localStorage", "sessionStorage" or an object with getItem, setItem and removeItem';
  throw error('InvalidInputError', `invalid input: CognitoSession options: storage ${why}`);
}

/** A user's session over a CognitoClient of the pool and app client. Every method returns a
 *  Promise; events (`signedIn`, `signedOut`, `tokenRefresh`, `tokenRefreshFailure`,
 *  `sessionExpired`) are dispatched on the session itself. */
export class CognitoSession extends EventTarget {
  #owner;
  #key;
  #storage;
  /** Whether the origin's tabs share the storage (localStorage): then they share refreshes. */
  #shared;
  #client;
  #verifier;
  /** The verified claims of tokens given to the core, by ID token: [id, access]. */
  #claims = new Map();
  /** The first read of the stored session, once it has succeeded. */
  #restoring = null;
  /** The refresh under way (it resolves to its error, or null). */
  #refreshing = null;
  /** Counts the session's changes (every update with events): a reading of the storage
   *  that an update overtook while its tokens were being verified is dropped. */
  #generation = 0;
  #onStorage = null;

  /** Checks the options; sends nothing and reads no storage until the first call. */
  constructor(options) {
    super();
    const made = ask('session_new', json('CognitoSession options', { ...options, storage: undefined }));
    const [handle, key] = parts(made, 1);
    this.#owner = new Owner(adopt(this, 'session', Number(handle)));
    this.#key = key;
    [this.#storage, this.#shared] = storageOf(options.storage);
    this.#client = new CognitoClient(pick(options, CLIENT));
    this.#verifier = new TokenVerifier({ ...pick(options, VERIFIER), tokenUse: null });
    // Another tab's sign-in, refresh or sign-out reaches this one by the storage event.
    if (this.#shared && globalThis.addEventListener) {
      this.#onStorage = (e) => {
        if (e.key === key || e.key === null) this.syncFromStorage().catch(() => {});
      };
      addEventListener('storage', this.#onStorage);
    }
  }

  /** The session's client, for the calls that need no session (sign-up, challenges, ...). */
  get client() {
    return this.#client;
  }

  /** The key the session is stored under: `cognito-wasm.{userPoolId}.{clientId}`. */
  get storageKey() {
    return this.#key;
  }

  /** The core's session call `name` (crate/src/wasm/exports/session.rs lists them) on
   *  `input`, now, with `n` (a ticket or a flag, as the call says). */
  #call(name, input = '', n = 0) {
    return ask('session', `${name}\n${input}`, [this.#owner.core.handle, now(), n]);
  }

  /** USER_SRP_AUTH. Tokens start the session; a challenge (MFA, a new password) comes back
   *  as it is: answer it with `confirmSignIn`. */
  signInSrp(username, password, clientMetadata) {
    return this.#signIn(() => this.#client.signInSrp(username, password, clientMetadata));
  }

  /** USER_PASSWORD_AUTH, as `signInSrp` otherwise. */
  signInPassword(username, password, clientMetadata) {
    return this.#signIn(() => this.#client.signInPassword(username, password, clientMetadata));
  }

  /** Answers a sign-in's challenge (`client.confirmSignIn`): tokens start the session; the
   *  next challenge comes back as it is. */
  confirmSignIn(challenge, answer, attributes, clientMetadata) {
    return this.#signIn(() => this.#client.confirmSignIn(challenge, answer, attributes, clientMetadata));
  }

  #signIn(signIn) {
    return this.#owner.run(async () => {
      await this.#current(1);
      const result = await signIn();
      if (result.kind === 'tokens') await this.start(result.tokens);
      return result;
    });
  }

  /** Starts the session with a sign-in's tokens (from any flow): verified, then stored. */
  start(tokens) {
    return this.#owner.run(async () => {
      await this.#current(1);
      const claims = await this.#verify(tokens);
      const three = `${tokens.idToken}\n${tokens.accessToken}\n${tokens.refreshToken ?? ''}`;
      await this.#take(() => this.#call('signIn', three), tokens.idToken, claims);
    });
  }

  /** The tokens and their verified claims, refreshed first when they expire within the
   *  margin (or when `forceRefresh`). UserUnAuthenticatedException when nobody is signed in.
   *  (The core is kept until the call ends, even if `free()` comes meanwhile: a refresh
   *  under way still stores its tokens.) */
  getSession({ forceRefresh = false } = {}) {
    return this.#owner.run(() => this.#getSession(forceRefresh === true));
  }

  async #getSession(force) {
    await this.#restore();
    // Why the last refresh here failed, for a caller left without valid tokens.
    let failure = null;
    for (;;) {
      let next;
      try {
        next = this.#call('next', '', force ? 1 : 0);
      } catch (e) {
        throw failure ?? e;
      }
      const [kind, ...rest] = next.split('\n');
      if (kind === 'ready') return this.#session(rest);
      if (kind === 'refresh') {
        const refreshing = this.#refresh(Number(rest[0]), rest[1]);
        this.#refreshing = refreshing;
        failure = await refreshing;
        if (this.#refreshing === refreshing) this.#refreshing = null;
        // A forced refresh asked for new tokens: the old ones will not do.
        if (failure && force) throw failure;
      } else if (this.#refreshing) {
        await this.#refreshing; // 'wait': the refresh under way satisfies a forced call
      } else {
        throw error('PlatformError', 'platform: the refresh under way was lost; please report it');
      }
      force = false;
    }
  }

  /** The signed-in user, `{ username, userId }`, from the verified ID token without a
   *  request (nor a refresh). UserUnAuthenticatedException when nobody is signed in. */
  getCurrentUser() {
    return this.#owner.run(async () => {
      const s = await this.#session((await this.#current(0)).split('\n').slice(1));
      return { username: s.username, userId: s.idClaims.sub };
    });
  }

  /** Signs out: `global` everywhere (GlobalSignOut, the access token refreshed first if it
   *  has expired; RevokeToken if that fails), otherwise this session's refresh token is
   *  revoked (RevokeToken). Storage is cleared and the session ended (here and in the
   *  page's other tabs) whatever the network does; the network's error comes after. */
  signOut({ global = false } = {}) {
    return this.#owner.run(() => this.#signOut(global));
  }

  async #signOut(global) {
    try {
      await this.#restore();
    } catch (e) {
      // Not verifiable now (the JWKS out of reach): its refresh token is revoked
      // unverified, and the record goes.
      const text = await this.#stored('getItem');
      await this.#stored('removeItem');
      let tokens = null;
      try {
        tokens = text == null ? null : this.#call('read', text);
      } catch {
        // Unreadable: nothing to revoke.
      }
      if (!tokens) throw e;
      return void (await this.#client.revokeToken(tokens.split('\n')[2]));
    }
    // Before the lock: getSession may refresh, which takes it.
    const access = global ? await this.#getSession(false).then((s) => s.accessToken, () => null) : null;
    // With the tabs' lock, so that no tab's refresh under way stores new tokens after this.
    const [revoke, stored] = await this.#locked(async () => {
      this.#claims.clear();
      const reply = this.#call('signOut');
      try {
        await this.#update(reply);
        return [parts(reply, 2)[2], null];
      } catch (e) {
        // The storage failed: the refresh token is revoked all the same, then this says so.
        return [parts(reply, 2)[2], e];
      }
    });
    try {
      if (!revoke) return;
      if (access) {
        try {
          return void (await this.#client.globalSignOut(access));
        } catch {
          // RevokeToken, below, ends this session at least.
        }
      }
      await this.#client.revokeToken(revoke);
    } finally {
      if (stored) throw stored;
    }
  }

  /** `f` with the tabs' lock held (Web Locks, when the origin's tabs share the storage). */
  #locked(f) {
    const locks = this.#shared && globalThis.navigator?.locks;
    return locks ? locks.request(this.#key, f) : f();
  }

  /** Reads the stored session again, for a change another tab made: gone, it signs this
   *  one out; other tokens are verified and taken. Called by the storage event with
   *  localStorage; call it yourself for an adapter that another tab can change. */
  syncFromStorage() {
    return this.#owner.run(async () => {
      await this.#restore();
      await this.#sync();
    });
  }

  /** Takes over the session amazon-cognito-identity-js or Amplify JS v6 left in `from`
   *  (localStorage by default) for this app client, verified, so that switching signs
   *  nobody out. Resolves to false when someone is signed in here or there is nothing to
   *  import. Their keys are left as they were. */
  importAmazonCognitoIdentityJs(from = webStorage('localStorage')) {
    return this.#owner.run(() => this.#import(from));
  }

  async #import(from) {
    if (from == null) throw error('InvalidInputError', 'invalid input: no storage to import a session from');
    const [acij] = storageOf(from);
    try {
      await this.#current(1);
    } catch (e) {
      if (e.name === 'UserAlreadyAuthenticatedException') return false;
      throw e;
    }
    const [lastUser] = this.#call('acijKeys').split('\n');
    const username = await acij.getItem(lastUser);
    if (!username) return false;
    const keys = this.#call('acijKeys', username).split('\n').slice(1);
    const tokens = await Promise.all(keys.map((k) => acij.getItem(k)));
    if (tokens.some((t) => !t)) return false;
    const claims = await this.#verify({ idToken: tokens[0], accessToken: tokens[1] });
    const four = [username, ...tokens].join('\n');
    const [events] = await this.#take(() => this.#call('adopt', four, 2), tokens[0], claims);
    return events !== '';
  }

  /** Frees the wasm memory (the session's, its client's and verifier's) and stops
   *  listening to other tabs. */
  free() {
    if (this.#onStorage) removeEventListener('storage', this.#onStorage);
    this.#owner.free();
    this.#client.free();
    this.#verifier.free();
  }

  /** The core's tokens as they are (`signedIn` 0), or a check that nobody is signed in
   *  (`signedIn` 1), once the stored session has been read. */
  async #current(signedIn) {
    await this.#restore();
    return this.#call('current', '', signedIn);
  }

  /** `ready`'s lines as the session the app gets. */
  async #session([idToken, accessToken, refreshToken, username]) {
    let claims = this.#claims.get(idToken);
    if (!claims) {
      // Not seen here (only after a call that failed midway): verified again.
      claims = await this.#verify({ idToken, accessToken });
      this.#claims.set(idToken, claims);
    }
    for (const k of this.#claims.keys()) if (k !== idToken) this.#claims.delete(k);
    return { idToken, accessToken, refreshToken, username, idClaims: claims[0], accessClaims: claims[1] };
  }

  /** Both tokens verified, without the time claims (the core judges expiry, on the device
   *  clock corrected for its drift): their claims. */
  #verify(tokens) {
    const verify = (t) => this.#verifier[UNCLOCKED](t);
    return Promise.all([verify(tokens.idToken), verify(tokens.accessToken)]);
  }

  /** A core call that gives it verified tokens: their claims kept first, for when it takes
   *  them; forgotten if it refuses them. */
  async #take(call, idToken, claims) {
    this.#claims.set(idToken, claims);
    try {
      return await this.#update(call());
    } catch (e) {
      this.#claims.delete(idToken);
      throw e;
    }
  }

  /** The storage's `getItem`, `setItem` or `removeItem` of the session's key, awaited; its
   *  failure (a quota, storage blocked, an adapter's error) as PlatformError. */
  async #stored(call, value) {
    try {
      return await this.#storage[call](this.#key, value);
    } catch (e) {
      throw error('PlatformError', `platform: the session's storage failed (${call}): ${shown(e)}`);
    }
  }

  /** Carries out an update (`events \n record \n extra`): the record stored (or removed)
   *  when something happened, then the events dispatched. Resolves to [events, extra]. */
  async #update(reply) {
    const [events, record, extra] = parts(reply, 2);
    if (!events) return [events, extra];
    this.#generation++;
    try {
      await (record ? this.#stored('setItem', record) : this.#stored('removeItem'));
    } finally {
      for (const name of events.split(' ')) this.dispatchEvent(new Event(name));
    }
    return [events, extra];
  }

  /** Reads the stored session once: verified again (the access token may have expired while
   *  the page was closed: the core judges that), taken; one that cannot be read or verified
   *  is removed. A JWKS out of reach leaves it for the next call. */
  #restore() {
    this.#restoring ??= this.#read().catch((e) => {
      this.#restoring = null;
      throw e;
    });
    return this.#restoring;
  }

  async #read() {
    for (;;) {
      const found = await this.#found();
      if (found === 'stale') continue; // another tab wrote meanwhile: read that
      if (found === 'bad') return this.#stored('removeItem');
      if (typeof found === 'string') return; // nothing stored, or the session's own
      const [text, idToken, claims] = found;
      try {
        return void (await this.#take(() => this.#call('adopt', text, 1), idToken, claims));
      } catch {
        // Verified tokens that break the session's rules (swapped, two users', no iat).
        return this.#stored('removeItem');
      }
    }
  }

  /** Reads the stored session again: resolves to whether the core took other tokens or
   *  signed out. A record that cannot be read or verified changes nothing. */
  async #sync() {
    const found = await this.#found().catch(() => 'bad');
    if (found === 'none') {
      const [events] = await this.#update(this.#call('adopt'));
      return events !== '';
    }
    if (typeof found === 'string') return false;
    const [text, idToken, claims] = found;
    await this.#take(() => this.#call('adopt', text), idToken, claims);
    return true;
  }

  /** The stored session, read and its tokens verified: `[text, idToken, claims]`, or
   *  `'none'` (nothing stored), `'same'` (the session's own tokens), `'bad'` (a record that
   *  cannot be read, or whose tokens fail verification), `'stale'` (the session changed, or
   *  the storage did, while the tokens were being verified: such a reading must not undo a
   *  sign-out here, nor replace a newer record with an older one); thrown when the JWKS is
   *  out of reach. */
  async #found() {
    const generation = this.#generation;
    const text = await this.#stored('getItem');
    const stale = async () => generation !== this.#generation || (await this.#stored('getItem')) !== text;
    if (text == null) return (await stale()) ? 'stale' : 'none';
    let tokens;
    try {
      tokens = this.#call('read', text);
    } catch {
      return 'bad';
    }
    if (tokens === 'same') return 'same';
    const [idToken, accessToken] = tokens.split('\n');
    let claims;
    try {
      claims = await this.#verify({ idToken, accessToken });
    } catch (e) {
      if (this.#call('failure', String(e?.name)) === 'network') throw e;
      return 'bad';
    }
    return (await stale()) ? 'stale' : [text, idToken, claims];
  }

  /** The refresh `ticket`. With localStorage, shared by the origin's tabs, one tab refreshes
   *  at a time (Web Locks): a tab that finds the lock held waits for the other's tokens
   *  instead. Resolves to its error, or null; never rejects. A tab that takes the lock in
   *  the moment another lets it go may not see that one's tokens yet, and refresh too: with
   *  rotation, the app client's grace period covers that second request. */
  async #refresh(ticket, refreshToken) {
    const run = async () => {
      // Another tab may have refreshed just before: its tokens, then, and no request.
      if (!(await this.#stillWaits(ticket))) return null;
      let outcome;
      let cause = null;
      let tokens;
      let claims;
      try {
        tokens = await this.#client.getTokensFromRefreshToken(refreshToken);
        claims = await this.#verify(tokens);
        outcome = `ok\n${tokens.idToken}\n${tokens.accessToken}\n${tokens.refreshToken ?? ''}`;
      } catch (e) {
        [cause, outcome] = [e, `failed\n${e?.name}`];
      }
      // A sign-out in another tab while the request was out: the outcome is then stale (and a
      // refresh token it rotated in is revoked), not stored over the sign-out.
      await this.#sync().catch(() => {});
      const update = () => this.#call('refreshed', outcome, ticket);
      const [, extra] = await (claims ? this.#take(update, tokens.idToken, claims) : this.#update(update()));
      const [revoke, refused] = parts(extra, 1);
      // A refresh token rotated in after this session was signed out.
      if (revoke) this.#client.revokeToken(revoke).catch(() => {});
      return refused ? fail(refused) : cause;
    };
    try {
      const locks = this.#shared && globalThis.navigator?.locks;
      if (!locks) return await run();
      for (;;) {
        const mine = await locks.request(this.#key, { ifAvailable: true }, (lock) => lock && run().then((r) => [r]));
        if (mine) return mine[0];
        if (await this.#otherTab(locks, ticket)) return null;
      }
    } catch (e) {
      // The storage or the lock failed: a failure as the network's, so that the next try
      // waits for the back-off rather than spinning.
      try {
        await this.#update(this.#call('refreshed', `failed\n${e?.name}`, ticket));
      } catch {
        // Freed meanwhile, or the storage again: the next call says so.
      }
      return e;
    }
  }

  /** Another tab holds the lock (it is refreshing): waits for it to let go, then for its
   *  tokens, which reach this tab's localStorage a little after the lock does (Chromium
   *  carries the two apart). Resolves to whether they came (or its sign-out) within
   *  OTHER_TAB_MS; if not (its refresh failed), this tab tries itself. */
  async #otherTab(locks, ticket) {
    await locks.request(this.#key, () => {});
    const until = performance.now() + OTHER_TAB_MS;
    while (await this.#stillWaits(ticket)) {
      if (performance.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /** Whether the session, having read the storage again, still waits for the refresh
   *  `ticket` (not if another tab's tokens, or its sign-out, came meanwhile, whether by this
   *  read or by the storage event). */
  async #stillWaits(ticket) {
    await this.#sync().catch(() => {});
    return this.#call('waits', '', ticket) === 'yes';
  }
}
