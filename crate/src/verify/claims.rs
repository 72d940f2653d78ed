//! The claim rules, after the signature: a pure function of the configuration, the claims and
//! the time, so every rule is testable without keys or a network.

use crate::prelude::*;

use crate::json::{Object, Value};

#[cfg(feature = "serde")]
use super::claim_value::object_json;
use super::claim_value::{members_of, ClaimValue};
use super::error::VerifyError;

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

/// What a verifier accepts. Made with [`VerifierConfig::new`], which asks for the three
/// choices that have no safe default (the pool, the app clients, the kind of token); the other
/// fields default there and may be set after.
///
/// ```
/// use cognito_wasm::{TokenUse, VerifierConfig};
///
/// let config = VerifierConfig {
///     grace_seconds: 60,
///     ..VerifierConfig::new("us-east-1_AbC123xyz", ["4tq8a9c1h2e3f4g5h6i7j8k9l0"], Some(TokenUse::Access))
/// };
/// assert_eq!(config.token_use, Some(TokenUse::Access));
/// ```
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// `us-east-1_AbC123xyz`: gives the issuer and the JWKS URL.
    pub user_pool_id: String,
    /// App client ids whose tokens are accepted (`aud` of ID tokens, `client_id` of access
    /// tokens). Required: a token for another app of the same pool is not for us.
    pub client_ids: Vec<String>,
    /// `Some(Id)` or `Some(Access)` to accept only that kind; `None` accepts both, which an
    /// API that wants access tokens should not: an ID token is not a permission.
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

impl VerifierConfig {
    /// A configuration for the pool's tokens of one kind (`None`: both kinds, said out loud,
    /// as aws-jwt-verify's `tokenUse: null`) issued to these app clients; no clock skew
    /// tolerated, no group required, the issuer and JWKS URL derived from the pool id.
    pub fn new(
        user_pool_id: impl Into<String>,
        client_ids: impl IntoIterator<Item = impl Into<String>>,
        token_use: Option<TokenUse>,
    ) -> VerifierConfig {
        VerifierConfig {
            user_pool_id: user_pool_id.into(),
            client_ids: client_ids.into_iter().map(Into::into).collect(),
            token_use,
            grace_seconds: 0,
            groups: None,
            issuer: None,
            jwks_uri: None,
        }
    }
}

/// The verified claims, typed where Cognito defines them; every claim of the token by name
/// ([`Claims::claim`]) or in order ([`Claims::iter`]).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The payload's JSON text, as sent (what the JS binding hands to `JSON.parse`).
    pub json: String,
    /// Every claim of the token, as sent, in its order.
    pub(crate) all: Vec<(String, ClaimValue)>,
}

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

/// When the time claims are judged.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At {
    /// On this clock (Unix seconds): `exp`, `nbf` and `iat` against it, with the grace.
    Clock(f64),
    /// By the caller, not here: a session judges expiry on its own clock, corrected for the
    /// device's drift. The time claims must still be readable, and `exp` after `iat`.
    Caller,
}

pub(crate) fn check_claims<'a>(
    config: &VerifierConfig,
    issuer: &str,
    claims: &'a Object,
    at: At,
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
    let exp = time("exp")?.ok_or_else(|| VerifyError::InvalidClaim("exp missing".into()))?;
    let nbf = time("nbf")?;
    let iat = time("iat")?;
    match at {
        At::Clock(now) => {
            // A NaN clock would read as 0 (nothing expires) and an infinite one as always
            // expired: the platform's clock is broken, and no claim rule can be decided.
            if !now.is_finite() {
                return Err(VerifyError::Platform(
                    "platform: the clock is not a finite number".into(),
                ));
            }
            let grace = config.grace_seconds as i64;
            // floor, without `std`'s float functions (`as` rounds toward zero and saturates).
            let now_s = match now as i64 {
                t if (t as f64) > now => t - 1,
                t => t,
            };
            if now_s >= exp.saturating_add(grace) {
                return Err(VerifyError::Expired { exp, now: now_s });
            }
            if let Some(nbf) = nbf {
                if nbf > now_s.saturating_add(grace) {
                    return Err(VerifyError::NotYetValid { nbf, now: now_s });
                }
            }
            if let Some(iat) = iat {
                if iat > now_s.saturating_add(grace) {
                    return Err(VerifyError::IssuedInFuture { iat, now: now_s });
                }
            }
        }
        At::Caller => {
            if iat.is_some_and(|iat| exp <= iat) {
                return Err(VerifyError::InvalidClaim("exp is not after iat".into()));
            }
            // The caller judges `exp` alone: a token not valid when issued is refused here.
            if nbf.is_some_and(|nbf| iat.is_none_or(|iat| nbf > iat)) {
                return Err(VerifyError::InvalidClaim("nbf is after iat".into()));
            }
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
    let mut groups: Vec<&str> = Vec::new();
    match claims.get("cognito:groups") {
        None => {}
        Some(Value::Array(a)) => {
            for g in a {
                let g = g.as_str().ok_or_else(|| {
                    VerifyError::InvalidClaim("cognito:groups holds a non-string".into())
                })?;
                groups.push(g);
            }
        }
        Some(_) => {
            return Err(VerifyError::InvalidClaim(
                "cognito:groups is not a list".into(),
            ))
        }
    }
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
    pub(crate) fn new(checked: Checked<'_>, raw: &Object, json: String) -> Claims {
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
            json,
            all: members_of(raw),
        }
    }

    /// The claim `name` as the token carries it (`custom:...` attributes, `email_verified`,
    /// `amr`, ...), whether or not a field above has it too.
    pub fn claim(&self, name: &str) -> Option<&ClaimValue> {
        self.all.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Every claim, in the token's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ClaimValue)> {
        self.all.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The claims decoded into your own type, from the payload's JSON ([`Claims::json`]), as
    /// `jsonwebtoken::decode::<T>` gives them: custom attributes, `email_verified`, ... typed
    /// as you declare them. The type may borrow from the claims (`&str` fields).
    ///
    /// ```
    /// # fn demo(claims: &cognito_wasm::Claims) -> Result<(), serde_json::Error> {
    /// #[derive(serde::Deserialize)]
    /// struct Profile<'a> {
    ///     email: &'a str,
    ///     email_verified: bool,
    ///     #[serde(rename = "custom:tenant")]
    ///     tenant: String,
    /// }
    /// let profile: Profile = claims.deserialize_into()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "serde")]
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn deserialize_into<'a, T: serde::Deserialize<'a>>(
        &'a self,
    ) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.json)
    }

    /// Claims read back from a claims object (`Deserialize`): the typed fields must be there,
    /// and of their types, as the verifier requires them. Nothing else is checked.
    #[cfg(feature = "serde")]
    pub(crate) fn from_claims(all: Vec<(String, ClaimValue)>) -> Result<Claims, String> {
        let get = |name: &str| all.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let text = |name: &str| get(name).and_then(ClaimValue::as_str).map(str::to_owned);
        let required =
            |name: &str| text(name).ok_or_else(|| concat(&[name, " missing or not a string"]));
        let time = |name: &str| match get(name) {
            None | Some(ClaimValue::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| concat(&[name, " is not a NumericDate"])),
        };
        let token_use = required("token_use")?;
        let id = token_use == "id";
        let mut groups = Vec::new();
        match get("cognito:groups") {
            None => {}
            Some(ClaimValue::Array(items)) => {
                for g in items {
                    let g = g.as_str().ok_or("cognito:groups holds a non-string")?;
                    groups.push(g.to_owned());
                }
            }
            Some(_) => return Err("cognito:groups is not a list".into()),
        }
        let json = object_json(&all);
        Ok(Claims {
            sub: required("sub")?,
            iss: required("iss")?,
            exp: time("exp")?.ok_or("exp missing")?,
            iat: time("iat")?,
            auth_time: time("auth_time")?,
            client_id: required(if id { "aud" } else { "client_id" })?,
            username: text(if id { "cognito:username" } else { "username" }),
            groups,
            email: text("email"),
            token_use,
            json,
            all,
        })
    }
}
