//! Why a token was refused: one kind per rule, named as aws-jwt-verify names its error classes.
//!
//! Its own module so that the parts of verification (the JWT split, the JWKS, the claim rules,
//! the key cache) can all name it without importing the verifier.

use crate::prelude::*;

use core::fmt;

use crate::json::{itoa, quoted};

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a JWT: structure, base64url or JSON.
    Malformed(String),
    /// `alg` is not in [`ALLOWED_ALGORITHMS`](super::ALLOWED_ALGORITHMS).
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
    /// Every name [`VerifyError::name`] gives (the JS package has a class for each; the last
    /// two are shared with the client's errors). Checked against one error of each kind by
    /// this module's test.
    pub const NAMES: &'static [&'static str] = &[
        "JwtParseError",
        "JwtInvalidSignatureAlgorithmError",
        "JwtUnknownCriticalHeaderError",
        "JwtWithoutValidKidError",
        "KidNotFoundInJwksError",
        "JwkInvalidKtyError",
        "JwkInvalidUseError",
        "JwkInvalidAlgError",
        "JwkValidationError",
        "JwtInvalidSignatureError",
        "JwtInvalidClaimError",
        "CognitoJwtInvalidTokenUseError",
        "JwtExpiredError",
        "JwtNotBeforeError",
        "JwtIssuedInFutureError",
        "JwtInvalidIssuerError",
        "CognitoJwtInvalidClientIdError",
        "CognitoJwtInvalidGroupError",
        "JwksFetchError",
        "JwksValidationError",
        "PlatformError",
        "InvalidInputError",
    ];

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

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of each kind. `kind_listed` below breaks the build when a kind is added, so
    /// that it is added here too.
    fn one_of_each() -> Vec<VerifyError> {
        use VerifyError::*;
        let s = || String::from("x");
        vec![
            Malformed(s()),
            InvalidAlgorithm(s()),
            UnknownCriticalHeader(s()),
            MissingKid,
            KidNotFound(s()),
            JwkInvalidKty(s()),
            JwkInvalidUse(s()),
            JwkInvalidAlg(s()),
            JwkInvalidKey(s()),
            InvalidSignature,
            InvalidClaim(s()),
            InvalidTokenUse {
                expected: s(),
                actual: s(),
            },
            Expired { exp: 0, now: 1 },
            NotYetValid { nbf: 1, now: 0 },
            IssuedInFuture { iat: 1, now: 0 },
            InvalidIssuer {
                expected: s(),
                actual: s(),
            },
            InvalidClientId(s()),
            InvalidGroup,
            JwksFetch(s()),
            JwksInvalid(s()),
            Platform(s()),
            InvalidConfig(s()),
        ]
    }

    #[allow(dead_code)]
    fn kind_listed(e: &VerifyError) {
        use VerifyError::*;
        match e {
            Malformed(_)
            | InvalidAlgorithm(_)
            | UnknownCriticalHeader(_)
            | MissingKid
            | KidNotFound(_)
            | JwkInvalidKty(_)
            | JwkInvalidUse(_)
            | JwkInvalidAlg(_)
            | JwkInvalidKey(_)
            | InvalidSignature
            | InvalidClaim(_)
            | InvalidTokenUse { .. }
            | Expired { .. }
            | NotYetValid { .. }
            | IssuedInFuture { .. }
            | InvalidIssuer { .. }
            | InvalidClientId(_)
            | InvalidGroup
            | JwksFetch(_)
            | JwksInvalid(_)
            | Platform(_)
            | InvalidConfig(_) => {}
        }
    }

    #[test]
    fn every_kind_has_its_name_listed_once() {
        let names: Vec<&str> = one_of_each().iter().map(VerifyError::name).collect();
        assert_eq!(names, VerifyError::NAMES);
    }
}
