//! The client side of one SRP sign-in: the secret `a`, `A`, and the one password claim it
//! makes. The secret and every value derived from the password are wiped when dropped.

use crate::prelude::*;

use core::fmt;

use super::{
    claim_signature, from_hex, k_limbs, private_key, scrambler, session_key, to_minimal_hex,
    SrpError,
};
use crate::base64::{self, Alphabet};
use crate::crypto::wipe;
use modp::{from_be_bytes, group, is_zero, limbs_of, mul_add, to_be_bytes};

/// The client side of one sign-in: holds the secret `a` between `InitiateAuth` and
/// `RespondToAuthChallenge`, and makes one claim with it ([`SrpClient::password_claim`]
/// consumes it): a second claim from the same `a` would give two equations in one secret.
/// `a` is wiped when the client is dropped.
pub struct SrpClient {
    a: Vec<u32>,
    /// `A = g^a mod N`, minimal big-endian bytes.
    a_pub: Vec<u8>,
}

impl Drop for SrpClient {
    fn drop(&mut self) {
        wipe(&mut self.a);
    }
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `a` is a secret: never print it.
        f.debug_struct("SrpClient")
            .field("a_pub", &to_minimal_hex(&self.a_pub))
            .finish_non_exhaustive()
    }
}

/// The `PASSWORD_VERIFIER` challenge parameters, as Cognito sends them.
#[derive(Debug, Clone, Copy)]
pub struct PasswordVerifier<'a> {
    /// `SRP_B`, hex.
    pub srp_b: &'a str,
    /// `SALT`, hex.
    pub salt: &'a str,
    /// `SECRET_BLOCK`, base64; signed as its decoded bytes and echoed back as is.
    pub secret_block: &'a str,
    /// `USER_ID_FOR_SRP`: the user id to hash and sign with from here on.
    pub user_id_for_srp: &'a str,
}

impl SrpClient {
    /// Bytes of the secret exponent `a`: 384 bits. An exponent needs twice the group's
    /// strength in bits against the square-root attacks on short exponents (Pollard's lambda;
    /// NIST SP 800-56A). The 3072-bit group's strength is about 128 bits by NIST SP 800-57,
    /// and 130 or 210 bits by the two estimates of RFC 3526 section 8, which accordingly gives
    /// exponents of 260 or 420 bits. 384 bits is three times NIST's figure and above the
    /// RFC's lower one; ACIJ's 1024 buys nothing more and costs almost three times our
    /// squarings for A. See ARCHITECTURE.md.
    pub const SECRET_BYTES: usize = 48;

    /// A fresh client with a random `a`. (Not in the JS package's core, without `std`: its
    /// driver draws the bytes and calls [`SrpClient::with_secret`].)
    #[cfg(feature = "std")]
    pub fn new() -> Result<SrpClient, SrpError> {
        let mut a = [0u8; Self::SECRET_BYTES];
        if !crate::crypto::fill_random(&mut a) {
            return Err(SrpError::Random);
        }
        SrpClient::with_secret(&a)
    }

    /// A client with a given `a` (big-endian): for tests and reproducible vectors, and for the
    /// JS package's core, whose driver draws `a` with `crypto.getRandomValues`. A given `a`
    /// must be secret, uniformly random and used once.
    pub fn with_secret(a: &[u8]) -> Result<SrpClient, SrpError> {
        let g = group();
        // Made first, so that `a` is wiped on every path out.
        let mut client = SrpClient {
            a: limbs_of(a),
            a_pub: Vec::new(),
        };
        let a_pub = g.mont_out(&g.pow2(&client.a));
        if is_zero(&a_pub) {
            return Err(SrpError::IllegalParameter("SRP_A"));
        }
        client.a_pub = to_be_bytes(&a_pub);
        Ok(client)
    }

    /// `SRP_A` for `InitiateAuth`: minimal lowercase hex.
    pub fn public_hex(&self) -> String {
        to_minimal_hex(&self.a_pub)
    }

    /// The premaster secret `S = (B - k·g^x)^(a + u·x) mod N` and the scrambler `u`, both
    /// minimal big-endian bytes. Exposed so tests can compare each step with ACIJ.
    pub fn premaster_secret(
        &self,
        pool_name: &str,
        user_id: &str,
        password: &str,
        srp_b: &str,
        salt: &str,
    ) -> Result<(Vec<u8>, [u8; 32]), SrpError> {
        let g = group();
        let b_bytes = from_hex("SRP_B", srp_b)?;
        let b = from_be_bytes(&b_bytes).ok_or(SrpError::Malformed("SRP_B"))?;
        let b = g.reduce(b);
        if is_zero(&b) {
            return Err(SrpError::IllegalParameter("SRP_B"));
        }
        let u = scrambler(&self.a_pub, &b_bytes);
        if u == [0; 32] {
            return Err(SrpError::IllegalParameter("u"));
        }
        let salt = from_hex("SALT", salt)?;
        // x stands for the password, g^x is what the pool stores of it, and the rest are one
        // step from S: all wiped before returning.
        let mut x = private_key(pool_name, user_id, password, &salt);
        let mut x_limbs = limbs_of(&x);
        // Secret exponents (x here, `a` in `with_secret`, a + u·x below) go through modp's
        // constant-time `pow2` and `pow` only, never the `_vartime` ones.
        let mut g_x = g.pow2(&x_limbs);
        let mut k_g_x = g.mul(&g.mont_in(&k_limbs()), &g_x);
        let mut base = g.sub(&g.mont_in(&b), &k_g_x);
        let u_limbs = limbs_of(&u);
        let mut exponent = mul_add(&self.a, &u_limbs, &x_limbs);
        // The exponent's size bound, from the sizes of a, u and x alone (public: 513 bits for
        // a 384-bit `a`), not from its value: the constant-time `pow` processes all of it.
        let bits = 32 * self.a.len().max(u_limbs.len() + x_limbs.len()) + 1;
        let mut s = g.mont_out(&g.pow(&base, &exponent, bits));
        let premaster = to_be_bytes(&s);
        wipe(&mut x);
        wipe(&mut x_limbs);
        wipe(&mut g_x);
        wipe(&mut k_g_x);
        wipe(&mut base);
        wipe(&mut exponent);
        wipe(&mut s);
        Ok((premaster, u))
    }

    /// `PASSWORD_CLAIM_SIGNATURE` for the challenge, signed at `timestamp` (see
    /// [`timestamp`](super::timestamp)). Consumes the client: one secret, one claim.
    pub fn password_claim(
        self,
        pool_name: &str,
        password: &str,
        challenge: &PasswordVerifier<'_>,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        let user_id = challenge.user_id_for_srp;
        let block = decode_secret_block(challenge.secret_block)?;
        let (s, u) = self.premaster_secret(
            pool_name,
            user_id,
            password,
            challenge.srp_b,
            challenge.salt,
        )?;
        let mut s = s;
        let mut key = session_key(&s, &u);
        let signature = claim_signature(&key, pool_name, user_id, &block, timestamp);
        wipe(&mut s);
        wipe(&mut key);
        Ok(signature)
    }
}

/// `SECRET_BLOCK` as bytes. Cognito sends standard base64; ACIJ decodes with Node's `Buffer`,
/// which also takes the URL-safe alphabet and missing padding, and some servers (moto) send
/// such strings, so we read both alphabets too. Anything else is refused.
pub(super) fn decode_secret_block(block: &str) -> Result<Vec<u8>, SrpError> {
    if let Some(bytes) = base64::decode(block, Alphabet::Standard) {
        return Ok(bytes);
    }
    // Trailing padding off by a byte scan (`str` patterns cost wasm).
    let end = block
        .bytes()
        .rposition(|b| b != b'=')
        .map_or(0, |at| at + 1);
    let normalized: String = block
        .get(..end)
        .unwrap_or_default()
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    base64::decode(&normalized, Alphabet::UrlUnpadded).ok_or(SrpError::Malformed("SECRET_BLOCK"))
}
