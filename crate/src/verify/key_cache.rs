//! The JWKS cache and its refetch rule, without I/O: the one place that decides when the JWKS
//! is fetched. The Rust [`Verifier`](super::Verifier) and the JS package's driver both ask it
//! what to do ([`KeyCache::next`]), do it (fetch, or wait for the fetch under way), and tell it
//! the outcome ([`KeyCache::fetched`]); neither keeps a clock or a rule of its own.
//!
//! The rule is aws-jwt-verify's: the JWKS is fetched once and cached by `kid`; an unknown `kid`
//! refetches it; concurrent fetches are merged into one; a fetch that fails or still lacks the
//! wanted kid blocks further fetches for [`JWKS_REFETCH_SECONDS`] (a token with a random kid
//! must not make us hammer the server), and callers in that pause get the last fetch's error
//! at once.

use crate::prelude::*;

use alloc::sync::Arc;

use super::error::VerifyError;
use super::jwks::{Jwk, Jwks, RsaComponents};
use crate::error::Error;
use crate::json::itoa;
use crate::platform::HttpResponse;

/// Seconds without refetching after a JWKS fetch that failed or lacked the wanted kid.
pub const JWKS_REFETCH_SECONDS: f64 = 10.0;

/// What a caller that lacks a key should do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Next {
    /// Fetch the JWKS, then report with [`KeyCache::fetched`] (or [`KeyCache::abandoned`] if
    /// the fetch is dropped before it answers).
    Fetch,
    /// A fetch is under way: wait for it to end, then look for the key again. `generation`
    /// tells a waiter whether that fetch ended ([`KeyCache::generation`] moved on) or was
    /// abandoned (it did not: then ask again).
    Wait {
        /// [`KeyCache::generation`] when the wait began.
        generation: u64,
    },
    /// In the pause after a fetch that failed or lacked a kid: no fetch. The answer is that
    /// fetch's error ([`KeyCache::last_error`]), or, if it had none, that the kid is not there.
    Paused,
}

/// A key prepared by the platform for `kid`, bound to the components it was prepared from:
/// a JWKS that lists the kid with another modulus or exponent drops it.
struct Prepared<K> {
    kid: String,
    rsa: RsaComponents,
    key: Arc<K>,
}

/// Keys by kid, the JWKS they came from, and the state of its fetching.
///
/// Invariant: every prepared key is the cached JWKS's key for its kid, component for
/// component ([`KeyCache::add_key`] and [`KeyCache::store`] keep it).
pub(crate) struct KeyCache<K> {
    jwks: Option<Jwks>,
    /// Prepared keys: a pool has two keys, so a list.
    keys: Vec<Prepared<K>>,
    /// When the last fetch that started the pause began; `None`: no pause.
    pause_from: Option<f64>,
    /// A fetch is under way, and the pause's start before it (restored if it is abandoned,
    /// so that a fetch that never answered is not charged).
    fetching: Option<Option<f64>>,
    /// Bumped when a fetch ends.
    generation: u64,
    last_error: Option<VerifyError>,
}

impl<K> KeyCache<K> {
    pub(crate) const fn new() -> KeyCache<K> {
        KeyCache {
            jwks: None,
            keys: Vec::new(),
            pause_from: None,
            fetching: None,
            generation: 0,
            last_error: None,
        }
    }

    /// What to do for a JWKS that lacks the wanted kid (or for a prefetch, `force`): fetch,
    /// wait for the fetch under way, or, within the pause and unless `force`, stop.
    pub(crate) fn next(&mut self, now: f64, force: bool) -> Next {
        if self.fetching.is_some() {
            return Next::Wait {
                generation: self.generation,
            };
        }
        // A clock that went backwards (now < start) ends the pause rather than extending it.
        let paused = self
            .pause_from
            .is_some_and(|t| now >= t && now - t < JWKS_REFETCH_SECONDS);
        if paused && !force {
            return Next::Paused;
        }
        self.fetching = Some(self.pause_from.replace(now));
        Next::Fetch
    }

    /// The outcome of the fetch [`KeyCache::next`] asked for: the JWKS is stored (prepared
    /// keys no longer listed are forgotten: keys may have been rotated), or the error is kept
    /// for the callers in the pause (and lent to this one: the JS package encodes it without
    /// a copy, so `VerifyError`'s `Clone` stays out of its wasm).
    pub(crate) fn fetched(
        &mut self,
        outcome: Result<Jwks, VerifyError>,
    ) -> Result<(), &VerifyError> {
        self.fetching = None;
        self.generation = self.generation.wrapping_add(1);
        match outcome {
            Ok(jwks) => {
                self.store(jwks);
                Ok(())
            }
            Err(e) => Err(self.last_error.insert(e)),
        }
    }

    /// The fetch [`KeyCache::next`] asked for was dropped before it answered: nobody fetches
    /// now (a waiter, seeing the generation unchanged, asks again), and no pause is owed.
    pub(crate) fn abandoned(&mut self) {
        if let Some(previous) = self.fetching.take() {
            self.pause_from = previous;
        }
    }

    /// The RSA key for `kid` in the cached JWKS, checked for `alg`; `None` when the JWKS does
    /// not list the kid. `fetched`: the caller fetched the JWKS for this kid; a usable key
    /// found then (a first fetch, or a rotation) owes no pause, since only a fetch that
    /// fails or lacks the kid pauses refetching.
    pub(crate) fn usable_key(
        &mut self,
        kid: &str,
        alg: &str,
        fetched: bool,
    ) -> Result<Option<RsaComponents>, VerifyError> {
        let Some(jwk) = self.jwk(kid) else {
            return Ok(None);
        };
        let rsa = jwk.rsa_for(alg)?;
        if fetched {
            self.pause_from = None;
        }
        Ok(Some(rsa))
    }

    /// Bumped each time a fetch ends, for waiters.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a fetch is under way.
    pub(crate) fn is_fetching(&self) -> bool {
        self.fetching.is_some()
    }

    /// The last fetch's error, for those who waited for it or are in its pause.
    pub(crate) fn last_error(&self) -> Option<&VerifyError> {
        self.last_error.as_ref()
    }

    /// A JWKS given rather than fetched (or fetched): it replaces the cached one, and the
    /// prepared keys it does not list with the same components are forgotten (keys may have
    /// been rotated, and a kid reused for another key).
    pub(crate) fn store(&mut self, jwks: Jwks) {
        self.keys.retain(|p| listed(&jwks, &p.kid, &p.rsa));
        self.jwks = Some(jwks);
        self.last_error = None;
    }

    /// The prepared key for `kid`, and its modulus's length in bytes (the length of every
    /// signature it can verify).
    pub(crate) fn key(&self, kid: &str) -> Option<(Arc<K>, usize)> {
        let found = self.keys.iter().find(|p| p.kid == kid);
        found.map(|p| (p.key.clone(), p.rsa.modulus.len()))
    }

    /// Keeps the key prepared for `kid` from `rsa`, replacing any older one; unless the
    /// cached JWKS no longer lists those components for the kid (a new JWKS arrived while the
    /// key was prepared): then `false`, and nothing is kept.
    pub(crate) fn add_key(&mut self, kid: &str, rsa: RsaComponents, key: Arc<K>) -> bool {
        let current = self.jwks.as_ref().is_some_and(|j| listed(j, kid, &rsa));
        if current {
            self.keys.retain(|p| p.kid != kid);
            self.keys.push(Prepared {
                kid: kid.to_owned(),
                rsa,
                key,
            });
        }
        current
    }

    /// The cached JWKS's key for `kid`.
    fn jwk(&self, kid: &str) -> Option<&Jwk> {
        self.jwks.as_ref().and_then(|j| j.find(kid))
    }
}

/// Whether `jwks` lists `kid` with the components `rsa`.
fn listed(jwks: &Jwks, kid: &str, rsa: &RsaComponents) -> bool {
    jwks.find(kid)
        .and_then(|j| j.components().ok())
        .is_some_and(|c| c == *rsa)
}

/// A JWKS fetch's answer, read: the key set, or why there is none.
pub(crate) fn read_jwks(
    uri: &str,
    response: Result<HttpResponse, Error>,
) -> Result<Jwks, VerifyError> {
    let response = response.map_err(|e| match e {
        Error::Timeout => VerifyError::JwksFetch("timed out".into()),
        other => VerifyError::JwksFetch(other.message()),
    })?;
    if response.status != 200 {
        let status = itoa(response.status.into());
        return Err(VerifyError::JwksFetch(concat(&[
            "HTTP ", &status, " from ", uri,
        ])));
    }
    Jwks::parse(&response.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JWKS listing kid `a` for RS256: a 2048-bit modulus (all ones), e = 65537.
    fn jwks() -> Jwks {
        let n = crate::base64::encode(&[0xff; 256], crate::base64::Alphabet::UrlUnpadded);
        let doc = concat(&[
            r#"{"keys":[{"kty":"RSA","kid":"a","alg":"RS256","e":"AQAB","n":""#,
            &n,
            r#""}]}"#,
        ]);
        Jwks::parse(&doc).unwrap()
    }

    fn failure() -> VerifyError {
        VerifyError::JwksFetch("HTTP 500".into())
    }

    #[test]
    fn a_first_lookup_fetches_and_a_second_caller_waits_for_it() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        assert!(c.is_fetching());
        assert_eq!(c.next(100.5, false), Next::Wait { generation: 0 });
        assert_eq!(
            c.next(100.5, true),
            Next::Wait { generation: 0 },
            "even a prefetch"
        );
        assert!(c.fetched(Ok(jwks())).is_ok());
        assert_eq!(c.generation(), 1);
        assert!(c.jwk("a").is_some());
        assert!(!c.is_fetching());
    }

    #[test]
    fn a_failed_fetch_pauses_refetching_and_its_error_is_the_answer_meanwhile() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        assert_eq!(c.fetched(Err(failure())), Err(&failure()));
        assert_eq!(c.next(105.0, false), Next::Paused);
        assert_eq!(c.next(109.9, false), Next::Paused);
        assert_eq!(c.last_error(), Some(&failure()), "the pause's answer");
        assert_eq!(c.next(110.0, false), Next::Fetch, "the pause is 10 s");
    }

    #[test]
    fn a_fetch_that_lacked_the_kid_pauses_without_an_error() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        assert!(c.fetched(Ok(jwks())).is_ok());
        // The caller looked for another kid and did not find it.
        assert_eq!(c.usable_key("b", "RS256", true), Ok(None));
        assert_eq!(c.next(101.0, false), Next::Paused);
        assert_eq!(c.last_error(), None, "the kid is not there: no error");
    }

    #[test]
    fn finding_the_kid_after_a_fetch_owes_no_pause() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        assert!(c.fetched(Ok(jwks())).is_ok());
        // A key it cannot use (another alg) is an error, and the pause stays.
        assert!(c.usable_key("a", "RS512", true).is_err());
        assert_eq!(c.next(100.5, false), Next::Paused);
        assert!(c.usable_key("a", "RS256", true).unwrap().is_some());
        assert_eq!(
            c.next(101.0, false),
            Next::Fetch,
            "a rotated kid is fetched at once"
        );
    }

    #[test]
    fn a_prefetch_fetches_within_the_pause() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        let _ = c.fetched(Err(failure()));
        assert_eq!(c.next(101.0, true), Next::Fetch);
    }

    #[test]
    fn an_abandoned_fetch_is_not_charged_and_waiters_see_the_generation_unchanged() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        assert_eq!(c.next(100.1, false), Next::Wait { generation: 0 });
        c.abandoned();
        assert_eq!(c.generation(), 0);
        assert_eq!(
            c.next(100.2, false),
            Next::Fetch,
            "nobody fetches: ask again, fetch"
        );
        let _ = c.fetched(Err(failure()));
        assert_eq!(c.next(100.3, false), Next::Paused);
        assert_eq!(c.last_error(), Some(&failure()));
        // Abandoning a fetch within a pause restores that pause, not none.
        assert_eq!(c.next(100.4, true), Next::Fetch);
        c.abandoned();
        assert_eq!(c.next(100.5, false), Next::Paused);
    }

    #[test]
    fn a_clock_that_went_back_ends_the_pause() {
        let mut c = KeyCache::<u32>::new();
        assert_eq!(c.next(100.0, false), Next::Fetch);
        let _ = c.fetched(Err(failure()));
        assert_eq!(c.next(50.0, false), Next::Fetch);
    }

    /// The components of `jwks()`'s key `a`.
    fn components_of_a() -> RsaComponents {
        jwks().find("a").unwrap().components().unwrap()
    }

    /// `jwks()` and a key `gone`, both with `a`'s components.
    fn jwks_with_gone() -> Jwks {
        let mut j = jwks();
        let mut gone = j.keys[0].clone();
        gone.kid = Some("gone".into());
        j.keys.push(gone);
        j
    }

    fn prepared(c: &KeyCache<u32>, kid: &str) -> Option<u32> {
        c.key(kid).map(|(key, _)| *key)
    }

    #[test]
    fn a_new_jwks_forgets_prepared_keys_it_no_longer_lists_and_clears_the_error() {
        let mut c = KeyCache::<u32>::new();
        c.store(jwks_with_gone());
        assert!(c.add_key("a", components_of_a(), Arc::new(1)));
        assert!(c.add_key("gone", components_of_a(), Arc::new(2)));
        assert!(c.add_key("a", components_of_a(), Arc::new(3)));
        assert_eq!(
            prepared(&c, "a"),
            Some(3),
            "a kid's key is replaced, not doubled"
        );
        assert_eq!(c.key("a").map(|(_, len)| len), Some(256));
        assert_eq!(c.next(100.0, false), Next::Fetch);
        let _ = c.fetched(Err(failure()));
        c.store(jwks());
        assert_eq!(prepared(&c, "a"), Some(3));
        assert!(c.key("gone").is_none());
        assert_eq!(c.last_error(), None);
    }

    #[test]
    fn a_prepared_key_is_bound_to_its_modulus_and_exponent_not_its_kid_alone() {
        let mut c = KeyCache::<u32>::new();
        c.store(jwks());
        assert!(c.add_key("a", components_of_a(), Arc::new(1)));
        // The same kid, another modulus: the prepared key goes.
        let mut other_n = jwks();
        other_n.keys[0].n = Some(crate::base64::encode(
            &[0xfe; 256],
            crate::base64::Alphabet::UrlUnpadded,
        ));
        c.store(other_n.clone());
        assert!(c.key("a").is_none());
        // A key prepared from the old components, arriving late, is not kept.
        assert!(!c.add_key("a", components_of_a(), Arc::new(2)));
        assert!(c.key("a").is_none());
        // The same kid and modulus, another exponent: the same.
        c.store(jwks());
        assert!(c.add_key("a", components_of_a(), Arc::new(3)));
        let mut other_e = jwks();
        other_e.keys[0].e = Some("Aw".into());
        c.store(other_e);
        assert!(c.key("a").is_none());
        // Without a JWKS, nothing is kept.
        assert!(!KeyCache::<u32>::new().add_key("a", components_of_a(), Arc::new(4)));
    }

    #[test]
    fn answers_are_read_strictly() {
        let ok = HttpResponse {
            status: 200,
            body: r#"{"keys":[]}"#.into(),
            error_type: None,
        };
        assert!(read_jwks("u", Ok(ok)).is_ok());
        let not_found = HttpResponse {
            status: 404,
            body: "{}".into(),
            error_type: None,
        };
        assert_eq!(
            read_jwks("https://x/jwks", Ok(not_found)).unwrap_err(),
            VerifyError::JwksFetch("HTTP 404 from https://x/jwks".into())
        );
        assert_eq!(
            read_jwks("u", Err(Error::Timeout)).unwrap_err(),
            VerifyError::JwksFetch("timed out".into())
        );
    }
}
