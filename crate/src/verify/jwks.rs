//! JSON Web Key Sets: parsing a pool's JWKS and checking that a key may verify a token
//! (RFC 7517/7518), before any signature is checked with it.

use crate::prelude::*;

use super::error::VerifyError;
use crate::base64::{decode, Alphabet};
use crate::json::{self, itoa, Object, Value};

/// One key of a JWKS, as published (only the members we use).
#[derive(Debug, Clone)]
pub struct Jwk {
    /// Key type: must be `RSA` for RS256.
    pub kty: String,
    /// Key id: what a token's header names.
    pub kid: Option<String>,
    /// Intended use: `sig` if present.
    pub use_: Option<String>,
    /// Algorithm: must equal the token's if present.
    pub alg: Option<String>,
    /// RSA modulus, base64url.
    pub n: Option<String>,
    /// RSA public exponent, base64url.
    pub e: Option<String>,
}

/// A key set.
#[derive(Debug, Clone)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// [`MIN_RSA_BITS`], [`MAX_RSA_BITS`] and [`MAX_RSA_EXPONENT`], written once for the
/// constants and their errors' messages (formatting them at run time cost 0.2 KB of wasm).
macro_rules! min_rsa_bits {
    () => {
        2048
    };
}
macro_rules! max_rsa_bits {
    () => {
        8192
    };
}
macro_rules! max_rsa_exponent {
    () => {
        4294967295
    };
}

/// The smallest RSA modulus we accept: NIST deprecated anything below 2048 bits in 2013.
pub const MIN_RSA_BITS: usize = min_rsa_bits!();

/// The largest RSA modulus we accept. Cognito's keys are 2048 bits; a verification's cost
/// grows with the square of the size, so a hostile JWKS must not pick it.
pub const MAX_RSA_BITS: usize = max_rsa_bits!();

/// The largest RSA public exponent we accept, `2^32 - 1` (every real key uses 65537; Go's
/// crypto/rsa caps it lower still). With the floor of 3 and oddness, this refuses `e = 1`,
/// with which any "signature" equal to the padded digest verifies.
pub const MAX_RSA_EXPONENT: u64 = max_rsa_exponent!();
const _: () = assert!(MAX_RSA_EXPONENT == u32::MAX as u64);

/// [`MAX_JWKS_BYTES`] in KiB and [`MAX_JWKS_KEYS`], written once for the constants and
/// their errors' messages.
macro_rules! max_jwks_kib {
    () => {
        64
    };
}
macro_rules! max_jwks_keys {
    () => {
        16
    };
}

/// The longest JWKS document read, in bytes (64 KiB); a longer one is refused
/// ([`VerifyError::JwksInvalid`]) before it is parsed. Cognito's has two 2048-bit keys in
/// under 1 KB; [`MAX_JWKS_KEYS`] keys of [`MAX_RSA_BITS`] with certificate chains fit in this.
pub const MAX_JWKS_BYTES: usize = max_jwks_kib!() * 1024;

/// The most keys a JWKS may list (16; [`VerifyError::JwksInvalid`] beyond). Cognito publishes
/// two (one signs ID tokens, one access tokens); this leaves room for rotations and other
/// issuers, and keeps each key lookup, and the check of the prepared keys against a new
/// JWKS, a few comparisons.
pub const MAX_JWKS_KEYS: usize = max_jwks_keys!();

impl Jwks {
    /// Parses a JWKS document of at most [`MAX_JWKS_BYTES`] and [`MAX_JWKS_KEYS`] keys.
    pub fn parse(body: &str) -> Result<Jwks, VerifyError> {
        let invalid = |m: &str| VerifyError::JwksInvalid(m.to_owned());
        if body.len() > MAX_JWKS_BYTES {
            return Err(invalid(concat!(
                "a JWKS is at most ",
                max_jwks_kib!(),
                " KiB"
            )));
        }
        let doc = json::parse_object(body).map_err(|e| invalid(&e.message()))?;
        let keys = doc
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("no keys list"))?;
        if keys.len() > MAX_JWKS_KEYS {
            return Err(invalid(concat!(
                "a JWKS has at most ",
                max_jwks_keys!(),
                " keys"
            )));
        }
        // A loop, not a `collect` into a `Result`: the adapter cost 1.5 KB of wasm.
        let mut list = Vec::with_capacity(keys.len());
        for key in keys {
            let key = key
                .as_object()
                .ok_or_else(|| invalid("a key is not an object"))?;
            list.push(Jwk::from_json(key)?);
        }
        Ok(Jwks { keys: list })
    }

    /// The key with this id.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
    }
}

/// An RSA public key taken from a JWK, checked for use with `alg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaComponents {
    /// Big-endian modulus, no leading zeros.
    pub modulus: Vec<u8>,
    /// Big-endian exponent.
    pub exponent: Vec<u8>,
}

impl Jwk {
    /// The members we use; the others are ignored, `null` is absent. Members of another type
    /// make the whole set invalid, as they would for a typed parser.
    pub(crate) fn from_json(o: &Object) -> Result<Jwk, VerifyError> {
        // A loop over the names, not a closure inlined for each (0.5 KB of wasm, measured).
        let mut members: [Option<String>; 6] = Default::default();
        for (slot, name) in members
            .iter_mut()
            .zip(["kty", "kid", "use", "alg", "n", "e"])
        {
            *slot = match o.get(name) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => {
                    let m = concat(&["JWK member ", name, " is not a string"]);
                    return Err(VerifyError::JwksInvalid(m));
                }
            };
        }
        let [kty, kid, use_, alg, n, e] = members;
        Ok(Jwk {
            kty: kty.ok_or_else(|| VerifyError::JwksInvalid("a JWK has no kty".into()))?,
            kid,
            use_,
            alg,
            n,
            e,
        })
    }

    /// `n` and `e` decoded, without their leading zero bytes (unchecked: see
    /// [`Jwk::rsa_for`]). What a prepared key is bound to.
    pub(crate) fn components(&self) -> Result<RsaComponents, VerifyError> {
        let decode = |what: &str, v: &Option<String>| {
            let bytes = v
                .as_deref()
                .and_then(|s| decode(s, Alphabet::UrlUnpadded))
                .ok_or_else(|| {
                    VerifyError::JwkInvalidKey(concat(&[what, " missing or not base64url"]))
                })?;
            let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
            Ok::<_, VerifyError>(bytes.get(start..).unwrap_or_default().to_vec())
        };
        Ok(RsaComponents {
            modulus: decode("n", &self.n)?,
            exponent: decode("e", &self.e)?,
        })
    }

    /// Checks that this key may verify a token signed with `alg` (kty, use, alg, size,
    /// exponent) and returns its RSA components.
    pub fn rsa_for(&self, alg: &str) -> Result<RsaComponents, VerifyError> {
        if self.kty != "RSA" {
            return Err(VerifyError::JwkInvalidKty(self.kty.clone()));
        }
        if let Some(u) = self.use_.as_deref().filter(|u| *u != "sig") {
            return Err(VerifyError::JwkInvalidUse(u.to_owned()));
        }
        if let Some(a) = self.alg.as_deref().filter(|a| *a != alg) {
            return Err(VerifyError::JwkInvalidAlg(a.to_owned()));
        }
        let RsaComponents { modulus, exponent } = self.components()?;
        let bits = modulus
            .first()
            .map_or(0, |&b| modulus.len() * 8 - b.leading_zeros() as usize);
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err(VerifyError::JwkInvalidKey(concat(&[
                "RSA modulus of ",
                &itoa(bits as i64),
                concat!(
                    " bits; ",
                    min_rsa_bits!(),
                    " to ",
                    max_rsa_bits!(),
                    " required"
                ),
            ])));
        }
        // At most 8 bytes once the leading zeros are gone, so the fold cannot overflow.
        let e = (exponent.len() <= 8)
            .then(|| exponent.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)));
        if !e.is_some_and(|e| (3..=MAX_RSA_EXPONENT).contains(&e) && e % 2 == 1) {
            return Err(VerifyError::JwkInvalidKey(
                concat!(
                    "RSA exponent must be odd, at least 3 and at most ",
                    max_rsa_exponent!()
                )
                .into(),
            ));
        }
        Ok(RsaComponents { modulus, exponent })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big-endian modulus of exactly `bits` bits.
    fn modulus(bits: usize) -> Vec<u8> {
        let mut n = vec![0xa5; bits.div_ceil(8)];
        n[0] = 0xff >> ((8 - bits % 8) % 8);
        n
    }

    fn rsa_jwk(n: Option<&[u8]>, e: Option<&[u8]>) -> Jwk {
        Jwk {
            kty: "RSA".into(),
            kid: Some("k".into()),
            use_: Some("sig".into()),
            alg: Some("RS256".into()),
            n: n.map(|n| crate::base64::encode(n, Alphabet::UrlUnpadded)),
            e: e.map(|e| crate::base64::encode(e, Alphabet::UrlUnpadded)),
        }
    }

    fn invalid_key(jwk: &Jwk) -> String {
        match jwk.rsa_for("RS256") {
            Err(VerifyError::JwkInvalidKey(m)) => m,
            other => panic!("expected JwkInvalidKey, got {other:?}"),
        }
    }

    #[test]
    fn rsa_for_gives_the_components() {
        let n = modulus(2048);
        let rsa = rsa_jwk(Some(&n), Some(&[1, 0, 1]))
            .rsa_for("RS256")
            .unwrap();
        assert_eq!(
            rsa,
            RsaComponents {
                modulus: n,
                exponent: vec![1, 0, 1]
            }
        );
    }

    #[test]
    fn leading_zero_bytes_are_stripped() {
        let n = modulus(2048);
        let padded_n = [&[0, 0][..], &n].concat();
        let rsa = rsa_jwk(Some(&padded_n), Some(&[0, 1, 0, 1]))
            .rsa_for("RS256")
            .unwrap();
        assert_eq!(rsa.modulus, n);
        assert_eq!(rsa.exponent, [1, 0, 1]);
    }

    #[test]
    fn leading_zero_bytes_do_not_count_as_bits() {
        let n = [&[0][..], &modulus(2040)].concat();
        assert_eq!(n.len() * 8, 2048);
        assert_eq!(
            invalid_key(&rsa_jwk(Some(&n), Some(&[1, 0, 1]))),
            "RSA modulus of 2040 bits; 2048 to 8192 required"
        );
    }

    #[test]
    fn bits_are_counted_from_the_top_set_bit() {
        let e = Some(&[1, 0, 1][..]);
        assert_eq!(
            invalid_key(&rsa_jwk(Some(&modulus(2047)), e)),
            "RSA modulus of 2047 bits; 2048 to 8192 required"
        );
        rsa_jwk(Some(&modulus(2048)), e).rsa_for("RS256").unwrap();
        rsa_jwk(Some(&modulus(2049)), e).rsa_for("RS256").unwrap();
        rsa_jwk(Some(&modulus(8192)), e).rsa_for("RS256").unwrap();
        assert_eq!(
            invalid_key(&rsa_jwk(Some(&modulus(8193)), e)),
            "RSA modulus of 8193 bits; 2048 to 8192 required"
        );
    }

    #[test]
    fn missing_or_undecodable_n_and_e_are_refused() {
        let n = modulus(2048);
        let e = [1, 0, 1];
        assert_eq!(
            invalid_key(&rsa_jwk(None, Some(&e))),
            "n missing or not base64url"
        );
        assert_eq!(
            invalid_key(&rsa_jwk(Some(&n), None)),
            "e missing or not base64url"
        );
        let mut padded_e = rsa_jwk(Some(&n), Some(&e));
        padded_e.e = Some("AQAB=".into());
        assert_eq!(invalid_key(&padded_e), "e missing or not base64url");
        let mut standard_n = rsa_jwk(Some(&n), Some(&e));
        standard_n.n = Some(standard_n.n.unwrap().replace('-', "+").replace('_', "/") + "+/");
        assert_eq!(invalid_key(&standard_n), "n missing or not base64url");
    }

    #[test]
    fn exponents_outside_3_to_2_32_or_even_are_refused() {
        let n = modulus(2048);
        let refused: [&[u8]; 9] = [
            &[],
            &[0],
            &[0, 0],
            &[1],
            &[0, 1],
            &[2],
            &[1, 0, 0],
            &[1, 0, 0, 0, 1],
            &[1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ];
        for e in refused {
            assert_eq!(
                invalid_key(&rsa_jwk(Some(&n), Some(e))),
                "RSA exponent must be odd, at least 3 and at most 4294967295",
                "{e:?}"
            );
        }
        for e in [
            &[3][..],
            &[1, 0, 1],
            &[0, 0, 1, 0, 1],
            &[0xff, 0xff, 0xff, 0xff],
        ] {
            rsa_jwk(Some(&n), Some(e)).rsa_for("RS256").unwrap();
        }
    }

    #[test]
    fn kty_use_and_alg_are_checked_before_the_key() {
        let mut jwk = rsa_jwk(None, None);
        jwk.alg = Some("RS384".into());
        assert_eq!(
            jwk.rsa_for("RS256"),
            Err(VerifyError::JwkInvalidAlg("RS384".into()))
        );
        jwk.use_ = Some("enc".into());
        assert_eq!(
            jwk.rsa_for("RS256"),
            Err(VerifyError::JwkInvalidUse("enc".into()))
        );
        jwk.kty = "oct".into();
        assert_eq!(
            jwk.rsa_for("RS256"),
            Err(VerifyError::JwkInvalidKty("oct".into()))
        );
    }

    #[test]
    fn find_matches_the_kid_exactly() {
        let jwks = Jwks::parse(
            r#"{"keys": [{"kty": "RSA"}, {"kty": "RSA", "kid": "Abc"}, {"kty": "EC", "kid": ""}]}"#,
        )
        .unwrap();
        assert_eq!(jwks.find("Abc").unwrap().kty, "RSA");
        assert!(jwks.find("abc").is_none());
        assert_eq!(jwks.find("").unwrap().kty, "EC");
        assert!(matches!(
            Jwks::parse(r#"{"keys": [{"kid": "k"}]}"#),
            Err(VerifyError::JwksInvalid(_))
        ));
    }

    #[test]
    fn a_jwks_is_bounded_in_bytes_and_keys() {
        let key = r#"{"kty":"RSA","kid":"k"}"#;
        let set = |n: usize, pad: usize| {
            let keys = vec![key; n].join(",");
            concat(&[
                r#"{"keys":["#,
                &keys,
                r#"],"pad":""#,
                &"x".repeat(pad),
                r#""}"#,
            ])
        };
        assert_eq!(Jwks::parse(&set(MAX_JWKS_KEYS, 0)).unwrap().keys.len(), 16);
        assert_eq!(
            Jwks::parse(&set(MAX_JWKS_KEYS + 1, 0)).unwrap_err(),
            VerifyError::JwksInvalid("a JWKS has at most 16 keys".into())
        );
        let len = set(1, 0).len();
        assert!(Jwks::parse(&set(1, MAX_JWKS_BYTES - len)).is_ok());
        assert_eq!(
            Jwks::parse(&set(1, MAX_JWKS_BYTES - len + 1)).unwrap_err(),
            VerifyError::JwksInvalid("a JWKS is at most 64 KiB".into())
        );
    }
}
