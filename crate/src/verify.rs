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

use crate::prelude::*;

use alloc::sync::Arc;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use crate::lock::{Guard, Lock};

use crate::api::parse_pool_id;
use crate::error::Error;
use crate::json::{itoa, quoted, Object, Value};
use crate::jwks::{Jwks, RsaComponents};
use crate::jwt;
use crate::platform::{HttpResponse, Platform};

/// Seconds without refetching after a JWKS fetch that failed or lacked the wanted kid.
pub const JWKS_REFETCH_SECONDS: f64 = 10.0;

/// The algorithms we verify. Never `none`, never HS*: an HMAC "signature" keyed with a public
/// key is the classic algorithm-confusion forgery.
pub const ALLOWED_ALGORITHMS: &[&str] = &["RS256"];

/// Which token a verifier accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    /// ID tokens (`token_use: "id"`, client id in `aud`).
    Id,
    /// Access tokens (`token_use: "access"`, client id in `client_id`).
    Access,
}

impl TokenUse {
    fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

/// What a verifier accepts.
#[derive(Debug, Clone, Default)]
pub struct VerifierConfig {
    /// `us-east-1_AbC123xyz`: gives the issuer and the JWKS URL.
    pub user_pool_id: String,
    /// App client ids whose tokens are accepted (`aud` of ID tokens, `client_id` of access
    /// tokens). Required: a token for another app of the same pool is not for us.
    pub client_ids: Vec<String>,
    /// `Some(Id)` or `Some(Access)` to accept only that kind; `None` accepts both.
    pub token_use: Option<TokenUse>,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
    pub grace_seconds: u64,
    /// If set, the token's `cognito:groups` must include at least one of these.
    pub groups: Option<Vec<String>>,
    /// Issuer override (an emulator): default `https://cognito-idp.{region}.amazonaws.com/{pool}`.
    pub issuer: Option<String>,
    /// JWKS URL override: default `{issuer}/.well-known/jwks.json`.
    pub jwks_uri: Option<String>,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a JWT: structure, base64url or JSON.
    Malformed(String),
    /// `alg` is not in [`ALLOWED_ALGORITHMS`].
    InvalidAlgorithm(String),
    /// A `crit` header parameter we do not understand.
    UnknownCriticalHeader(String),
    /// No `kid` in the header.
    MissingKid,
    /// The JWKS has no key with this `kid` (after a refetch, or within the refetch pause).
    KidNotFound(String),
    /// The key's `kty` is not `RSA`.
    JwkInvalidKty(String),
    /// The key's `use` is not `sig`.
    JwkInvalidUse(String),
    /// The key's `alg` differs from the token's.
    JwkInvalidAlg(String),
    /// The key is unusable (missing members, too short, even exponent).
    JwkInvalidKey(String),
    /// The signature does not verify.
    InvalidSignature,
    /// A required claim is missing or has the wrong type.
    InvalidClaim(String),
    /// `token_use` is not the expected one.
    InvalidTokenUse {
        /// What the verifier accepts.
        expected: String,
        /// What the token says.
        actual: String,
    },
    /// `exp` has passed (beyond the grace).
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// Our clock.
        now: i64,
    },
    /// `nbf` is still ahead (beyond the grace).
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// Our clock.
        now: i64,
    },
    /// `iat` is in the future (beyond the grace).
    IssuedInFuture {
        /// The token's `iat`.
        iat: i64,
        /// Our clock.
        now: i64,
    },
    /// `iss` is not the pool's issuer.
    InvalidIssuer {
        /// The pool's issuer.
        expected: String,
        /// The token's.
        actual: String,
    },
    /// `aud` (ID token) or `client_id` (access token) is not an allowed client.
    InvalidClientId(String),
    /// None of the required groups is in `cognito:groups`.
    InvalidGroup,
    /// The JWKS could not be fetched.
    JwksFetch(String),
    /// The JWKS is not a valid key set.
    JwksInvalid(String),
    /// The platform's crypto failed (WebCrypto missing or refusing the key).
    Platform(String),
    /// The verifier's configuration is unusable.
    InvalidConfig(String),
}

impl VerifyError {
    /// The name JS sees as `error.name`; aws-jwt-verify's class name where it has one.
    pub fn name(&self) -> &'static str {
        match self {
            VerifyError::Malformed(_) => "JwtParseError",
            VerifyError::InvalidAlgorithm(_) => "JwtInvalidSignatureAlgorithmError",
            VerifyError::UnknownCriticalHeader(_) => "JwtUnknownCriticalHeaderError",
            VerifyError::MissingKid => "JwtWithoutValidKidError",
            VerifyError::KidNotFound(_) => "KidNotFoundInJwksError",
            VerifyError::JwkInvalidKty(_) => "JwkInvalidKtyError",
            VerifyError::JwkInvalidUse(_) => "JwkInvalidUseError",
            VerifyError::JwkInvalidAlg(_) => "JwkInvalidAlgError",
            VerifyError::JwkInvalidKey(_) => "JwkValidationError",
            VerifyError::InvalidSignature => "JwtInvalidSignatureError",
            VerifyError::InvalidClaim(_) => "JwtInvalidClaimError",
            VerifyError::InvalidTokenUse { .. } => "CognitoJwtInvalidTokenUseError",
            VerifyError::Expired { .. } => "JwtExpiredError",
            VerifyError::NotYetValid { .. } => "JwtNotBeforeError",
            VerifyError::IssuedInFuture { .. } => "JwtIssuedInFutureError",
            VerifyError::InvalidIssuer { .. } => "JwtInvalidIssuerError",
            VerifyError::InvalidClientId(_) => "CognitoJwtInvalidClientIdError",
            VerifyError::InvalidGroup => "CognitoJwtInvalidGroupError",
            VerifyError::JwksFetch(_) => "JwksFetchError",
            VerifyError::JwksInvalid(_) => "JwksValidationError",
            VerifyError::Platform(_) => "PlatformError",
            VerifyError::InvalidConfig(_) => "InvalidInputError",
        }
    }
}

impl VerifyError {
    /// The message, for people. Built by concatenation: the JS package then carries none of
    /// the formatting machinery.
    pub fn message(&self) -> String {
        use VerifyError::*;
        let q = |s: &str| quoted(s);
        let n = |v: i64| itoa(v);
        match self {
            Malformed(m) => concat(&["not a valid JWT: ", m]),
            InvalidAlgorithm(a) => concat(&["algorithm ", &q(a), " is not allowed (only RS256)"]),
            UnknownCriticalHeader(h) => {
                concat(&["critical header parameter ", &q(h), " is not understood"])
            }
            MissingKid => "the token header has no kid".into(),
            KidNotFound(k) => concat(&["no key with kid ", &q(k), " in the JWKS"]),
            JwkInvalidKty(k) => concat(&["JWK kty is ", &q(k), ", expected RSA"]),
            JwkInvalidUse(u) => concat(&["JWK use is ", &q(u), ", expected sig"]),
            JwkInvalidAlg(a) => concat(&["JWK alg is ", &q(a), ", which does not match the token"]),
            JwkInvalidKey(m) => concat(&["JWK unusable: ", m]),
            InvalidSignature => "invalid signature".into(),
            InvalidClaim(m) => concat(&["invalid claim: ", m]),
            InvalidTokenUse { expected, actual } => {
                concat(&["token_use is ", &q(actual), ", expected ", expected])
            }
            Expired { exp, now } => {
                concat(&["token expired at ", &n(*exp), " (now ", &n(*now), ")"])
            }
            NotYetValid { nbf, now } => {
                concat(&["token not valid before ", &n(*nbf), " (now ", &n(*now), ")"])
            }
            IssuedInFuture { iat, now } => concat(&[
                "token issued in the future at ",
                &n(*iat),
                " (now ",
                &n(*now),
                ")",
            ]),
            InvalidIssuer { expected, actual } => {
                concat(&["issuer ", &q(actual), " is not ", &q(expected)])
            }
            InvalidClientId(c) => concat(&["client id ", &q(c), " is not allowed"]),
            InvalidGroup => "the user is in none of the required groups".into(),
            JwksFetch(m) => concat(&["cannot fetch the JWKS: ", m]),
            JwksInvalid(m) => concat(&["invalid JWKS: ", m]),
            Platform(m) => concat(&["platform crypto: ", m]),
            InvalidConfig(m) => concat(&["invalid verifier configuration: ", m]),
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for VerifyError {}

/// The verified claims, typed where Cognito defines them; all of them in [`Claims::raw`].
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The issuer (the pool).
    pub iss: String,
    /// `id` or `access`.
    pub token_use: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issued at, Unix seconds.
    pub iat: Option<i64>,
    /// When the user authenticated, Unix seconds.
    pub auth_time: Option<i64>,
    /// The app client (`aud` of ID tokens, `client_id` of access tokens).
    pub client_id: String,
    /// `cognito:username` (ID) or `username` (access).
    pub username: Option<String>,
    /// `cognito:groups`.
    pub groups: Vec<String>,
    /// `email` (ID tokens).
    pub email: Option<String>,
    /// Every claim of the token, as sent.
    pub raw: Object,
    /// The payload's JSON text, as sent (what the JS binding hands to `JSON.parse`).
    pub json: String,
}

/// [`Verifier::start`]'s result: the token's parts, and its key when the cache has it.
pub(crate) struct Started<'t, K> {
    pub(crate) jws: jwt::Jws<'t>,
    pub(crate) kid: String,
    pub(crate) alg: String,
    pub(crate) key: Option<Arc<K>>,
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

/// Claim checks, after the signature. Pure: `now` is given.
/// What the claim rules found, borrowed from the payload: [`Claims`] without its copies (the
/// JS package needs only the verdict; the payload's own JSON goes out).
pub(crate) struct Checked<'a> {
    sub: &'a str,
    iss: &'a str,
    token_use: &'a str,
    exp: i64,
    iat: Option<i64>,
    client_id: &'a str,
    groups: Vec<&'a str>,
}

fn check_claims<'a>(
    config: &VerifierConfig,
    issuer: &str,
    claims: &'a Object,
    now: f64,
) -> Result<Checked<'a>, VerifyError> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    // A time claim that is present must be a NumericDate we can read: ignoring one we cannot
    // would fail open (an `nbf` of "tomorrow" as a string must not mean "no nbf").
    let time = |name: &str| match claims.get(name) {
        None => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| {
            let mut m = String::from(name);
            m.push_str(" is not a NumericDate (an integer number of seconds)");
            VerifyError::InvalidClaim(m)
        }),
    };
    let required = |name: &str| {
        text(name).ok_or_else(|| {
            let mut m = String::from(name);
            m.push_str(" missing or not a string");
            VerifyError::InvalidClaim(m)
        })
    };
    let token_use = required("token_use")?;
    let expected = config.token_use.map(TokenUse::as_str);
    let use_ok = match expected {
        Some(e) => token_use == e,
        None => token_use == "id" || token_use == "access",
    };
    if !use_ok {
        return Err(VerifyError::InvalidTokenUse {
            expected: expected.unwrap_or("id or access").to_owned(),
            actual: token_use.to_owned(),
        });
    }
    let grace = config.grace_seconds as i64;
    // floor, without `std`'s float functions (`as` rounds toward zero and saturates).
    let now_s = match now as i64 {
        t if (t as f64) > now => t - 1,
        t => t,
    };
    let exp = time("exp")?.ok_or_else(|| VerifyError::InvalidClaim("exp missing".into()))?;
    if now_s >= exp.saturating_add(grace) {
        return Err(VerifyError::Expired { exp, now: now_s });
    }
    if let Some(nbf) = time("nbf")? {
        if nbf > now_s.saturating_add(grace) {
            return Err(VerifyError::NotYetValid { nbf, now: now_s });
        }
    }
    let iat = time("iat")?;
    if let Some(iat) = iat {
        if iat > now_s.saturating_add(grace) {
            return Err(VerifyError::IssuedInFuture { iat, now: now_s });
        }
    }
    let iss = required("iss")?;
    if iss != issuer {
        return Err(VerifyError::InvalidIssuer {
            expected: issuer.to_owned(),
            actual: iss.to_owned(),
        });
    }
    let client_claim = if token_use == "id" {
        "aud"
    } else {
        "client_id"
    };
    let client_id = required(client_claim)?;
    if !config.client_ids.iter().any(|c| c == client_id) {
        return Err(VerifyError::InvalidClientId(client_id.to_owned()));
    }
    let groups: Vec<&str> = match claims.get("cognito:groups") {
        None => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()
            .ok_or_else(|| VerifyError::InvalidClaim("cognito:groups holds a non-string".into()))?,
        Some(_) => {
            return Err(VerifyError::InvalidClaim(
                "cognito:groups is not a list".into(),
            ))
        }
    };
    if let Some(required_groups) = &config.groups {
        if !required_groups.iter().any(|g| groups.contains(&g.as_str())) {
            return Err(VerifyError::InvalidGroup);
        }
    }
    let sub = required("sub")?;
    Ok(Checked {
        sub,
        iss,
        token_use,
        exp,
        iat,
        client_id,
        groups,
    })
}

impl Claims {
    fn new(checked: Checked<'_>, raw: &Object, json: String) -> Claims {
        let text = |name: &str| raw.get(name).and_then(Value::as_str).map(str::to_owned);
        let username = if checked.token_use == "id" {
            text("cognito:username")
        } else {
            text("username")
        };
        Claims {
            sub: checked.sub.to_owned(),
            iss: checked.iss.to_owned(),
            token_use: checked.token_use.to_owned(),
            exp: checked.exp,
            iat: checked.iat,
            auth_time: raw.get("auth_time").and_then(Value::as_i64),
            client_id: checked.client_id.to_owned(),
            username,
            groups: checked.groups.into_iter().map(str::to_owned).collect(),
            email: text("email"),
            raw: raw.clone(),
            json,
        }
    }
}

/// The JWKS cache and its fetch state.
struct Cache<K> {
    jwks: Option<Jwks>,
    /// Prepared keys by kid: a pool has two keys, so a list.
    keys: Vec<(String, Arc<K>)>,
    /// When the last fetch that failed or lacked a wanted kid started (the pause's start).
    last_fetch: Option<f64>,
    fetching: bool,
    /// Bumped when a fetch ends; waiters watch it.
    generation: u64,
    last_error: Option<VerifyError>,
    waiters: Vec<Waker>,
}

/// A token verifier for one pool, on a host [`Platform`].
pub struct Verifier<P: Platform> {
    config: VerifierConfig,
    issuer: String,
    jwks_uri: String,
    platform: P,
    cache: Lock<Cache<P::Key>>,
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
        let jwks_uri = config
            .jwks_uri
            .clone()
            .unwrap_or_else(|| concat(&[issuer.trim_end_matches('/'), "/.well-known/jwks.json"]));
        Ok(Verifier {
            config,
            issuer,
            jwks_uri,
            platform,
            cache: Lock::new(Cache {
                jwks: None,
                keys: Vec::new(),
                last_fetch: None,
                fetching: false,
                generation: 0,
                last_error: None,
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

    fn lock(&self) -> Guard<'_, Cache<P::Key>> {
        self.cache.lock()
    }

    /// Verifies a token: header, key, signature, then claims.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        let Started { jws, kid, alg, key } = self.start(token)?;
        let key = match key {
            Some(key) => key,
            None => self.key(&kid, &alg).await?,
        };
        let ok = self
            .platform
            .verify_rs256(&key, jws.signed.as_bytes(), &jws.signature)
            .await
            .map_err(VerifyError::Platform)?;
        self.finish(jws.payload, jws.payload_json, ok)
    }

    /// The synchronous first half of [`Verifier::verify`]: the token parsed, and its key if
    /// the cache has it. The JS binding drives the two halves itself when the key is cached
    /// (one native promise per verification instead of Rust futures); `verify` always does.
    pub(crate) fn start<'t>(&self, token: &'t str) -> Result<Started<'t, P::Key>, VerifyError> {
        let Parsed { alg, kid, jws } = parse(token)?;
        let key = self.cached_key(&kid);
        Ok(Started { jws, kid, alg, key })
    }

    /// The second half: the signature's verdict, then the claim rules.
    pub(crate) fn finish(
        &self,
        payload: Object,
        json: String,
        signature_ok: bool,
    ) -> Result<Claims, VerifyError> {
        let checked = self.check(&payload, signature_ok)?;
        Ok(Claims::new(checked, &payload, json))
    }

    /// [`Verifier::finish`]'s verdict alone, for the JS package (which hands out the payload's
    /// own JSON, so needs no [`Claims`]).
    pub(crate) fn check<'a>(
        &self,
        payload: &'a Object,
        signature_ok: bool,
    ) -> Result<Checked<'a>, VerifyError> {
        if !signature_ok {
            return Err(VerifyError::InvalidSignature);
        }
        check_claims(&self.config, &self.issuer, payload, self.platform.now())
    }

    fn cached_key(&self, kid: &str) -> Option<Arc<P::Key>> {
        let cache = self.lock();
        let found = cache.keys.iter().find(|(k, _)| k == kid);
        found.map(|(_, key)| key.clone())
    }

    /// Fetches the JWKS now (for example at start-up, so the first verification is fast).
    pub async fn prefetch(&self) -> Result<(), VerifyError> {
        self.refresh_jwks(true).await
    }

    /// Uses this JWKS document instead of fetching one (a server that ships the pool's keys
    /// with the page, or a test). An unknown `kid` still triggers a fetch later.
    pub fn cache_jwks(&self, jwks: &str) -> Result<(), VerifyError> {
        self.store_jwks(Jwks::parse(jwks)?);
        Ok(())
    }

    /// A JWKS fetched or given: keys may have been rotated, so prepared keys no longer listed
    /// are forgotten.
    fn store_jwks(&self, jwks: Jwks) {
        let mut cache = self.lock();
        cache.keys.retain(|(kid, _)| jwks.find(kid).is_some());
        cache.jwks = Some(jwks);
        cache.last_error = None;
    }

    /// The answer to a JWKS fetch, stored when it is one. For the JS driver, which fetches
    /// (and keeps the refetch pause) itself.
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa"))),
        allow(dead_code)
    )]
    pub(crate) fn jwks_fetched(
        &self,
        response: Result<HttpResponse, Error>,
    ) -> Result<(), VerifyError> {
        self.store_jwks(self.read_jwks(response)?);
        Ok(())
    }

    /// The key material for `kid`, checked for `alg`, when the cached JWKS lists it; `None`
    /// when it does not. For the JS driver, which imports the key itself ([`Self::add_key`]).
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa"))),
        allow(dead_code)
    )]
    pub(crate) fn key_material(
        &self,
        kid: &str,
        alg: &str,
    ) -> Result<Option<RsaComponents>, VerifyError> {
        let jwk = self.lock().jwks.as_ref().and_then(|j| j.find(kid)).cloned();
        jwk.map(|jwk| jwk.rsa_for(alg)).transpose()
    }

    /// A key prepared for `kid` by the caller.
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa"))),
        allow(dead_code)
    )]
    pub(crate) fn add_key(&self, kid: &str, key: P::Key) {
        let mut cache = self.lock();
        cache.keys.retain(|(k, _)| k != kid);
        cache.keys.push((kid.to_owned(), Arc::new(key)));
    }

    /// The prepared key for `kid`: from the cache, or from the JWKS, fetching it when the kid
    /// is unknown and the last fetch is old enough.
    async fn key(&self, kid: &str, alg: &str) -> Result<Arc<P::Key>, VerifyError> {
        for attempt in 0..2 {
            if let Some(key) = self.cached_key(kid) {
                return Ok(key);
            }
            let jwk = self.lock().jwks.as_ref().and_then(|j| j.find(kid)).cloned();
            if let Some(jwk) = jwk {
                if attempt == 1 {
                    // The fetch found the kid (a first fetch, or a rotation): no pause owed.
                    // Only a fetch that fails or lacks the kid blocks refetches for 10 s,
                    // as aws-jwt-verify's penalty box does.
                    self.lock().last_fetch = None;
                }
                let rsa = jwk.rsa_for(alg)?;
                let key = Arc::new(
                    self.platform
                        .import_rsa_key(&rsa.modulus, &rsa.exponent)
                        .await
                        .map_err(VerifyError::Platform)?,
                );
                let mut cache = self.lock();
                cache.keys.retain(|(k, _)| k != kid);
                cache.keys.push((kid.to_owned(), key.clone()));
                return Ok(key);
            }
            if attempt == 0 {
                self.refresh_jwks(false).await?;
            }
        }
        Err(VerifyError::KidNotFound(kid.to_owned()))
    }

    /// Fetches the JWKS unless another call is already doing it (then waits for that one) or
    /// the last fetch is too recent (unless `force`).
    async fn refresh_jwks(&self, force: bool) -> Result<(), VerifyError> {
        loop {
            let now = self.platform.now();
            let (generation, previous_fetch) = {
                let mut cache = self.lock();
                if cache.fetching {
                    (Some(cache.generation), None)
                } else {
                    let recent = cache
                        .last_fetch
                        .is_some_and(|t| now - t < JWKS_REFETCH_SECONDS && now >= t);
                    if recent && !force {
                        return match &cache.last_error {
                            Some(e) => Err(e.clone()),
                            None => Ok(()),
                        };
                    }
                    cache.fetching = true;
                    (None, cache.last_fetch.replace(now))
                }
            };
            if let Some(generation) = generation {
                FetchDone {
                    verifier: self,
                    generation,
                }
                .await;
                let cache = self.lock();
                if cache.generation == generation {
                    // That fetch was dropped before it ended: fetch ourselves.
                    continue;
                }
                return match &cache.last_error {
                    Some(e) => Err(e.clone()),
                    None => Ok(()),
                };
            }
            let mut guard = FetchGuard {
                verifier: self,
                previous_fetch,
                ended: false,
            };
            let result = self.fetch_jwks().await;
            guard.ended = true;
            let waiters = {
                let mut cache = self.lock();
                cache.fetching = false;
                cache.generation += 1;
                match &result {
                    Ok(_) => {}
                    Err(e) => cache.last_error = Some(e.clone()),
                }
                core::mem::take(&mut cache.waiters)
            };
            let result = result.map(|jwks| self.store_jwks(jwks));
            waiters.into_iter().for_each(Waker::wake);
            return result.map(drop);
        }
    }

    async fn fetch_jwks(&self) -> Result<Jwks, VerifyError> {
        self.read_jwks(self.platform.get(&self.jwks_uri).await)
    }

    fn read_jwks(&self, response: Result<HttpResponse, Error>) -> Result<Jwks, VerifyError> {
        let response = response.map_err(|e| match e {
            Error::Timeout => VerifyError::JwksFetch("timed out".into()),
            other => VerifyError::JwksFetch(other.message()),
        })?;
        if response.status != 200 {
            let status = itoa(response.status.into());
            return Err(VerifyError::JwksFetch(concat(&[
                "HTTP ",
                &status,
                " from ",
                &self.jwks_uri,
            ])));
        }
        Jwks::parse(&response.body)
    }
}

/// Ends a fetch whose future is dropped before it finishes (its caller timed out or lost a
/// `select!`), which would otherwise leave `fetching` set and every later call waiting for it
/// forever: the waiters are woken (they see the generation unchanged and fetch themselves) and
/// the refetch pause is not charged for a fetch that never answered.
struct FetchGuard<'a, P: Platform> {
    verifier: &'a Verifier<P>,
    previous_fetch: Option<f64>,
    ended: bool,
}

impl<P: Platform> Drop for FetchGuard<'_, P> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        let waiters = {
            let mut cache = self.verifier.lock();
            cache.fetching = false;
            cache.last_fetch = self.previous_fetch;
            core::mem::take(&mut cache.waiters)
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
        let mut cache = self.verifier.lock();
        if cache.generation != self.generation || !cache.fetching {
            Poll::Ready(())
        } else {
            // Executors may poll again before the fetch ends: register each waker once.
            if !cache.waiters.iter().any(|w| w.will_wake(cx.waker())) {
                cache.waiters.push(cx.waker().clone());
            }
            Poll::Pending
        }
    }
}

/// Claims of a token without verifying anything: for display only, never for decisions.
pub fn decode_unverified(token: &str) -> Result<Object, VerifyError> {
    jwt::split(token).map(|jws| jws.payload)
}

/// [`decode_unverified`]'s payload as JSON text.
pub fn decode_unverified_json(token: &str) -> Result<String, VerifyError> {
    jwt::split(token).map(|jws| jws.payload_json)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "verify_tests.rs"]
mod tests;
