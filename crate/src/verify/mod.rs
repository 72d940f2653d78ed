//! Verifying Cognito ID and access tokens in the client, against the pool's JWKS.
//!
//! Every check aws-jwt-verify makes, and more: `exp` is required, `iat` may not be in the
//! future, a `crit` header we do not understand is refused (RFC 7515 section 4.1.11), and
//! keys under 2048 bits are refused. Each failure is its own [`VerifyError`] kind, named as
//! aws-jwt-verify names it where it has one.
//!
//! The JWKS is fetched once and cached by `kid`. An unknown `kid` refetches it; a fetch that
//! fails or still lacks the kid blocks further fetches for [`JWKS_REFETCH_SECONDS`] (a token
//! with a random kid must not make us hammer the server), and concurrent fetches are merged.
//!
//! The parts: `jwt` takes a token apart, `jwks` reads key sets and checks a key may be
//! used, `key_cache` holds the keys and decides when to fetch (the one rule, shared with
//! the JS driver), `claims` applies the claim rules, `error` names every refusal. This
//! module sequences them: header, key, signature, claims.

use crate::prelude::*;

use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use crate::api::parse_pool_id;
use crate::json::{Object, Value};
use crate::lock::{Guard, Lock};
use crate::platform::Platform;

mod claim_value;
mod claims;
mod error;
mod https;
pub(crate) mod jwks;
pub(crate) mod jwt;
mod key_cache;

pub use claim_value::ClaimValue;
pub(crate) use claims::{check_claims, At, Checked};
pub use claims::{Claims, TokenUse, VerifierConfig};
pub use error::VerifyError;
use jwks::{Jwks, RsaComponents};
pub use jwks::{MAX_JWKS_BYTES, MAX_JWKS_KEYS, MAX_RSA_BITS, MIN_RSA_BITS};
pub use jwt::MAX_TOKEN_BYTES;
pub use key_cache::JWKS_REFETCH_SECONDS;
pub(crate) use key_cache::{read_jwks, KeyCache, Next};

/// The algorithms we verify. Never `none`, never HS*: an HMAC "signature" keyed with a public
/// key is the classic algorithm-confusion forgery.
pub const ALLOWED_ALGORITHMS: &[&str] = &["RS256"];

/// [`Verifier::start`]'s result: the token's parts, and its key when the cache has it.
pub(crate) struct Started<'t, K> {
    pub(crate) jws: jwt::Jws<'t>,
    pub(crate) kid: String,
    pub(crate) alg: String,
    /// The prepared key, and the length of the signatures it verifies.
    pub(crate) key: Option<(Arc<K>, usize)>,
}

/// A token parsed and checked for shape, before its signature is.
struct Parsed<'a> {
    alg: String,
    kid: String,
    jws: jwt::Jws<'a>,
}

fn parse(token: &str) -> Result<Parsed<'_>, VerifyError> {
    let jws = jwt::split(token)?;
    let header = |name: &str| match jws.header.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => {
            let mut m = String::from(name);
            m.push_str(" is not a string");
            Err(VerifyError::Malformed(m))
        }
    };
    let alg =
        header("alg")?.ok_or_else(|| VerifyError::Malformed("no alg in the header".into()))?;
    if !ALLOWED_ALGORITHMS.contains(&alg.as_str()) {
        return Err(VerifyError::InvalidAlgorithm(alg));
    }
    // RFC 7515 4.1.11: crit lists extensions the recipient must understand; we understand
    // none, and an empty list is malformed.
    if let Some(crit) = jws.header.get("crit") {
        let first = crit
            .as_array()
            .filter(|names| names.iter().all(|n| n.as_str().is_some()))
            .ok_or_else(|| VerifyError::Malformed("crit is not a list of names".into()))?
            .first()
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(VerifyError::UnknownCriticalHeader(first.to_owned()));
    }
    let kid = header("kid")?
        .filter(|k| !k.is_empty())
        .ok_or(VerifyError::MissingKid)?;
    Ok(Parsed { alg, kid, jws })
}

/// The key cache, and the wakers of callers waiting for a fetch under way (the async half,
/// which the JS driver does with its own promise).
struct Shared<K> {
    cache: KeyCache<K>,
    waiters: Vec<Waker>,
}

/// A token verifier for one pool, on a host [`Platform`]. Keep one for the life of the app:
/// it holds the pool's keys.
///
/// ```no_run
/// # #[cfg(not(target_arch = "wasm32"))] // the native platform
/// # mod example {
/// use cognito_wasm::{NativePlatform, TokenUse, Verifier, VerifierConfig, VerifyError};
///
/// # async fn demo(access_token: &str) -> Result<(), VerifyError> {
/// let verifier = Verifier::new(
///     VerifierConfig {
///         groups: Some(vec!["admins".into()]),
///         ..VerifierConfig::new(
///             "us-east-1_AbC123xyz",
///             ["4tq8a9c1h2e3f4g5h6i7j8k9l0"],
///             Some(TokenUse::Access),
///         )
///     },
///     NativePlatform::default(),
/// )?;
/// match verifier.verify(access_token).await {
///     Ok(claims) => println!("{} in {:?}", claims.sub, claims.groups),
///     Err(e @ VerifyError::Expired { .. }) => println!("sign in again: {e}"),
///     Err(e) => return Err(e),
/// }
/// # Ok(())
/// # }
/// # }
/// ```
pub struct Verifier<P: Platform> {
    config: VerifierConfig,
    issuer: String,
    jwks_uri: String,
    platform: P,
    shared: Lock<Shared<P::Key>>,
}

impl<P: Platform> Verifier<P> {
    /// A verifier; checks the configuration (nothing is fetched until the first token).
    pub fn new(config: VerifierConfig, platform: P) -> Result<Verifier<P>, VerifyError> {
        let (region, _) = parse_pool_id(&config.user_pool_id)
            .map_err(|e| VerifyError::InvalidConfig(e.message()))?;
        if config.client_ids.is_empty() || config.client_ids.iter().any(String::is_empty) {
            return Err(VerifyError::InvalidConfig(
                "client ids must list the app clients whose tokens are accepted".into(),
            ));
        }
        let issuer = config.issuer.clone().unwrap_or_else(|| {
            concat(&[
                "https://cognito-idp.",
                region,
                ".amazonaws.com/",
                &config.user_pool_id,
            ])
        });
        let jwks_uri = config.jwks_uri.clone().unwrap_or_else(|| {
            // Without a trailing `/` (a byte scan: `str` patterns cost wasm).
            let end = issuer
                .bytes()
                .rposition(|b| b != b'/')
                .map_or(0, |at| at + 1);
            let base = issuer.get(..end).unwrap_or_default();
            concat(&[base, "/.well-known/jwks.json"])
        });
        for (what, url) in [("issuer", &issuer), ("jwksUri", &jwks_uri)] {
            if !https::secure_or_loopback(url) {
                return Err(VerifyError::InvalidConfig(concat(&[
                    what,
                    " must be an https:// URL (or http:// to localhost): ",
                    url,
                ])));
            }
        }
        Ok(Verifier {
            config,
            issuer,
            jwks_uri,
            platform,
            shared: Lock::new(Shared {
                cache: KeyCache::new(),
                waiters: Vec::new(),
            }),
        })
    }

    /// The issuer tokens must carry.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Where the JWKS is fetched from.
    pub fn jwks_uri(&self) -> &str {
        &self.jwks_uri
    }

    /// The host platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    fn lock(&self) -> Guard<'_, Shared<P::Key>> {
        self.shared.lock()
    }

    /// The key cache, for one step of the JS driver's refetch (which fetches and waits with
    /// its own promises, and asks the cache what to do).
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa"))),
        allow(dead_code)
    )]
    pub(crate) fn with_cache<T>(&self, f: impl FnOnce(&mut KeyCache<P::Key>) -> T) -> T {
        f(&mut self.lock().cache)
    }

    /// Verifies a token: header, key, signature, then claims.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        self.verify_checking(token, true).await
    }

    /// [`Verifier::verify`] without the clock: every rule but `exp`, `nbf` and `iat` against
    /// the platform's clock (they must still be readable, `exp` after `iat`, `nbf` not after
    /// it). For the session (`session::SessionClient`), which judges expiry itself, on a
    /// clock corrected for the device's drift from Cognito's (a device an hour off would find
    /// fresh tokens expired or issued in the future), and over tokens read back from storage
    /// whose access token may have expired while the page was closed (it then refreshes
    /// them). Not public: claims verified so would look like any other, and an app fighting
    /// a clock-skew error could take them for valid.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) async fn verify_without_clock(&self, token: &str) -> Result<Claims, VerifyError> {
        self.verify_checking(token, false).await
    }

    async fn verify_checking(&self, token: &str, clock: bool) -> Result<Claims, VerifyError> {
        let Started { jws, kid, alg, key } = self.start(token)?;
        let (key, length) = match key {
            Some(key) => key,
            None => self.key(&kid, &alg).await?,
        };
        check_length(&jws.signature, length)?;
        let ok = self
            .platform
            .verify_rs256(&key, jws.signed.as_bytes(), &jws.signature)
            .await
            .map_err(VerifyError::Platform)?;
        let checked = self.check(&jws.payload, ok, clock)?;
        Ok(Claims::new(checked, &jws.payload, jws.payload_json))
    }

    /// [`Verifier::verify`], the claims then decoded into your own type (see
    /// [`Claims::deserialize_into`]): a type they do not fit is
    /// [`VerifyError::InvalidClaim`].
    ///
    /// ```no_run
    /// # async fn demo<P: cognito_wasm::Platform>(
    /// #     verifier: &cognito_wasm::Verifier<P>,
    /// #     token: &str,
    /// # ) -> Result<(), cognito_wasm::VerifyError> {
    /// #[derive(serde::Deserialize)]
    /// struct Access {
    ///     sub: String,
    ///     scope: String,
    ///     #[serde(rename = "cognito:groups", default)]
    ///     groups: Vec<String>,
    /// }
    /// let access: Access = verifier.verify_as(token).await?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "serde")]
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub async fn verify_as<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
    ) -> Result<T, VerifyError> {
        let claims = self.verify(token).await?;
        claims.deserialize_into().map_err(|e| {
            let mut m = String::from("the claims do not fit the type asked for: ");
            m.push_str(&alloc::string::ToString::to_string(&e));
            VerifyError::InvalidClaim(m)
        })
    }

    /// The synchronous first half of [`Verifier::verify`]: the token parsed, and its key if
    /// the cache has it. The JS binding drives the two halves itself when the key is cached
    /// (one native promise per verification instead of Rust futures); `verify` always does.
    pub(crate) fn start<'t>(&self, token: &'t str) -> Result<Started<'t, P::Key>, VerifyError> {
        let Parsed { alg, kid, jws } = parse(token)?;
        let key = self.lock().cache.key(&kid);
        Ok(Started { jws, kid, alg, key })
    }

    /// The signature's verdict, then the claim rules, the time claims on the platform's
    /// clock or (`clock` false) left to the caller ([`Verifier::verify_without_clock`]). The
    /// JS package calls it once WebCrypto has given its verdict (it hands out the payload's
    /// own JSON, so needs no [`Claims`]).
    pub(crate) fn check<'a>(
        &self,
        payload: &'a Object,
        signature_ok: bool,
        clock: bool,
    ) -> Result<Checked<'a>, VerifyError> {
        if !signature_ok {
            return Err(VerifyError::InvalidSignature);
        }
        let at = if clock {
            At::Clock(self.platform.now())
        } else {
            At::Caller
        };
        check_claims(&self.config, &self.issuer, payload, at)
    }

    /// Fetches the JWKS now (for example at start-up, so the first verification is fast).
    pub async fn prefetch(&self) -> Result<(), VerifyError> {
        self.refresh_jwks(true).await
    }

    /// Uses this JWKS document instead of fetching one (a server that ships the pool's keys
    /// with the page, or a test). An unknown `kid` still triggers a fetch later.
    pub fn cache_jwks(&self, jwks: &str) -> Result<(), VerifyError> {
        self.lock().cache.store(Jwks::parse(jwks)?);
        Ok(())
    }

    /// The key material for `kid`, checked for `alg`, when the cached JWKS lists it; `None`
    /// when it does not (see [`KeyCache::usable_key`] for `fetched`). For the JS driver,
    /// which imports the key itself ([`Self::add_key`]).
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa"))),
        allow(dead_code)
    )]
    pub(crate) fn key_material(
        &self,
        kid: &str,
        alg: &str,
        fetched: bool,
    ) -> Result<Option<RsaComponents>, VerifyError> {
        self.lock().cache.usable_key(kid, alg, fetched)
    }

    /// A key prepared for `kid` by the caller.
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa"))),
        allow(dead_code)
    )]
    pub(crate) fn add_key(
        &self,
        kid: &str,
        rsa: RsaComponents,
        key: P::Key,
    ) -> Result<(), VerifyError> {
        if self.lock().cache.add_key(kid, rsa, Arc::new(key)) {
            Ok(())
        } else {
            Err(replaced())
        }
    }

    /// The prepared key for `kid` and its signatures' length: from the cache, or from the
    /// JWKS, fetching it when the kid is unknown and the cache's rule allows.
    async fn key(&self, kid: &str, alg: &str) -> Result<(Arc<P::Key>, usize), VerifyError> {
        for attempt in 0..2 {
            if let Some(key) = self.lock().cache.key(kid) {
                return Ok(key);
            }
            let rsa = self.lock().cache.usable_key(kid, alg, attempt == 1)?;
            if let Some(rsa) = rsa {
                let key = Arc::new(
                    self.platform
                        .import_rsa_key(&rsa.modulus, &rsa.exponent)
                        .await
                        .map_err(VerifyError::Platform)?,
                );
                let length = rsa.modulus.len();
                if !self.lock().cache.add_key(kid, rsa, key.clone()) {
                    return Err(replaced());
                }
                return Ok((key, length));
            }
            if attempt == 0 {
                self.refresh_jwks(false).await?;
            }
        }
        Err(VerifyError::KidNotFound(kid.to_owned()))
    }

    /// Does what the cache says: fetch the JWKS, wait for the fetch under way, or stop (in
    /// the pause after a fetch that failed or lacked a kid, unless `force`).
    async fn refresh_jwks(&self, force: bool) -> Result<(), VerifyError> {
        loop {
            let now = self.platform.now();
            let next = self.lock().cache.next(now, force);
            match next {
                Next::Paused => {
                    return self
                        .lock()
                        .cache
                        .last_error()
                        .map_or(Ok(()), |e| Err(e.clone()))
                }
                Next::Wait { generation } => {
                    FetchDone {
                        verifier: self,
                        generation,
                    }
                    .await;
                    let shared = self.lock();
                    if shared.cache.generation() == generation {
                        // That fetch was dropped before it ended: ask again.
                        continue;
                    }
                    return shared.cache.last_error().map_or(Ok(()), |e| Err(e.clone()));
                }
                Next::Fetch => {
                    let mut guard = FetchGuard {
                        verifier: self,
                        ended: false,
                    };
                    let response = self.platform.get(&self.jwks_uri).await;
                    guard.ended = true;
                    let jwks = read_jwks(&self.jwks_uri, response);
                    let (result, waiters) = {
                        let mut shared = self.lock();
                        let result = shared.cache.fetched(jwks).map_err(VerifyError::clone);
                        (result, core::mem::take(&mut shared.waiters))
                    };
                    waiters.into_iter().for_each(Waker::wake);
                    return result;
                }
            }
        }
    }
}

/// Ends a fetch whose future is dropped before it finishes (its caller timed out or lost a
/// `select!`), which would otherwise leave the cache fetching and every later call waiting for
/// it forever: the cache is told ([`KeyCache::abandoned`]) and the waiters are woken (they see
/// the generation unchanged and ask again).
struct FetchGuard<'a, P: Platform> {
    verifier: &'a Verifier<P>,
    ended: bool,
}

impl<P: Platform> Drop for FetchGuard<'_, P> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        let waiters = {
            let mut shared = self.verifier.lock();
            shared.cache.abandoned();
            core::mem::take(&mut shared.waiters)
        };
        waiters.into_iter().for_each(Waker::wake);
    }
}

/// Resolves when the fetch that was running at `generation` has finished.
struct FetchDone<'a, P: Platform> {
    verifier: &'a Verifier<P>,
    generation: u64,
}

impl<P: Platform> Future for FetchDone<'_, P> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut shared = self.verifier.lock();
        if shared.cache.generation() != self.generation || !shared.cache.is_fetching() {
            Poll::Ready(())
        } else {
            // Executors may poll again before the fetch ends: register each waker once.
            if !shared.waiters.iter().any(|w| w.will_wake(cx.waker())) {
                shared.waiters.push(cx.waker().clone());
            }
            Poll::Pending
        }
    }
}

/// A signature must be as long as its key's modulus (RFC 8017 8.2.2 step 1); checked before
/// the platform sees it, so no platform's leniency decides.
pub(crate) fn check_length(signature: &[u8], modulus_len: usize) -> Result<(), VerifyError> {
    if signature.len() == modulus_len {
        Ok(())
    } else {
        Err(VerifyError::InvalidSignature)
    }
}

/// The JWKS changed while a key from it was prepared: the key is not kept.
fn replaced() -> VerifyError {
    VerifyError::JwksInvalid("the key was replaced while it was imported; verify again".into())
}

/// Claims of a token without verifying anything, in the token's order: for display only,
/// never for decisions.
pub fn decode_unverified(token: &str) -> Result<Vec<(String, ClaimValue)>, VerifyError> {
    jwt::split(token).map(|jws| claim_value::members_of(&jws.payload))
}

/// [`decode_unverified`]'s payload as JSON text.
pub fn decode_unverified_json(token: &str) -> Result<String, VerifyError> {
    jwt::split(token).map(|jws| jws.payload_json)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
