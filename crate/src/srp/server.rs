//! The server side of one sign-in, for emulators (`srp-server`): `B = k·v + g^b`,
//! `S = (A·v^u)^b`, and the check of the client's claim. The emulator's side: its
//! exponentiations use modp's variable-time paths (`pow_vartime`, `pow2_vartime`), faster and
//! not constant-time; the client's secrets never go through them.

use crate::prelude::*;

use core::fmt;

use super::{
    claim_signature, from_hex, k_limbs, private_key, scrambler, session_key, to_minimal_hex,
    SrpError,
};
use modp::{from_be_bytes, group, is_zero, limbs_of, to_be_bytes, Limbs};

/// The verifier `v = g^x mod N` a server stores instead of the password (minimal big-endian).
pub fn verifier(pool_name: &str, user_id: &str, password: &str, salt: &[u8]) -> Vec<u8> {
    let g = group();
    let x = private_key(pool_name, user_id, password, salt);
    to_be_bytes(&g.mont_out(&g.pow2_vartime(&limbs_of(&x))))
}

/// The server side of one sign-in, for the emulator: `B = k·v + g^b`, `S = (A·v^u)^b`.
pub struct SrpServer {
    b: Vec<u32>,
    b_pub: Vec<u8>,
    v: Limbs,
}

impl fmt::Debug for SrpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpServer")
            .field("b_pub", &to_minimal_hex(&self.b_pub))
            .finish_non_exhaustive()
    }
}

impl SrpServer {
    /// Bytes of the server's secret `b`: 256 bits, the strength the 3072-bit group offers.
    pub const SECRET_BYTES: usize = 32;

    /// A server for a stored verifier, with a random `b`.
    #[cfg(feature = "std")]
    pub fn new(verifier: &[u8]) -> Result<SrpServer, SrpError> {
        let mut b = [0u8; Self::SECRET_BYTES];
        if !crate::crypto::fill_random(&mut b) {
            return Err(SrpError::Random);
        }
        SrpServer::with_secret(verifier, &b)
    }

    /// A server with a given `b` (big-endian): for tests only.
    pub fn with_secret(verifier: &[u8], b: &[u8]) -> Result<SrpServer, SrpError> {
        let g = group();
        let v = from_be_bytes(verifier).ok_or(SrpError::Malformed("verifier"))?;
        let v = g.reduce(v);
        let b = limbs_of(b);
        let k_v = g.mul(&g.mont_in(&k_limbs()), &g.mont_in(&v));
        let b_pub = g.mont_out(&g.add(&k_v, &g.pow2_vartime(&b)));
        if is_zero(&b_pub) {
            return Err(SrpError::IllegalParameter("SRP_B"));
        }
        Ok(SrpServer {
            b,
            b_pub: to_be_bytes(&b_pub),
            v,
        })
    }

    /// `SRP_B` for the `PASSWORD_VERIFIER` challenge: minimal lowercase hex.
    pub fn public_hex(&self) -> String {
        to_minimal_hex(&self.b_pub)
    }

    /// The session key `K` for the client's `SRP_A`.
    pub fn session_key(&self, srp_a: &str) -> Result<[u8; 16], SrpError> {
        let g = group();
        let a_bytes = from_hex("SRP_A", srp_a)?;
        let a = from_be_bytes(&a_bytes).ok_or(SrpError::Malformed("SRP_A"))?;
        let a = g.reduce(a);
        if is_zero(&a) {
            return Err(SrpError::IllegalParameter("SRP_A"));
        }
        let u = scrambler(&a_bytes, &self.b_pub);
        if u == [0; 32] {
            return Err(SrpError::IllegalParameter("u"));
        }
        let v_u = g.pow_vartime(&g.mont_in(&self.v), &limbs_of(&u));
        let base = g.mul(&g.mont_in(&a), &v_u);
        let s = g.mont_out(&g.pow_vartime(&base, &self.b));
        Ok(session_key(&to_be_bytes(&s), &u))
    }

    /// Checks a client's `PASSWORD_CLAIM_SIGNATURE` in constant time.
    pub fn verify_claim(
        &self,
        srp_a: &str,
        pool_name: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &str,
        signature: &str,
    ) -> Result<bool, SrpError> {
        let key = self.session_key(srp_a)?;
        let expected = claim_signature(&key, pool_name, user_id, secret_block, timestamp);
        Ok(crate::crypto::ct_eq(
            expected.as_bytes(),
            signature.as_bytes(),
        ))
    }
}
