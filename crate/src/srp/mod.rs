//! Secure Remote Password, exactly as Cognito's `USER_SRP_AUTH` computes it.
//!
//! Cognito's SRP is SRP-6a over RFC 3526's 3072-bit group with SHA-256, plus its own details
//! (the `padHex` encoding, `x` salted over `poolName || userId || ":" || password`, an HKDF'd
//! session key and an HMAC "password claim" instead of SRP's M1). There is no spec beyond
//! amazon-cognito-identity-js (ACIJ); each step below names the ACIJ value it reproduces, and
//! `tests/acij_srp.rs` checks them one by one against ACIJ itself.
//!
//! Both sides live here: [`SrpClient`] for sign-in, [`SrpServer`] for the emulator, so the
//! mathematics exists once. The group arithmetic is its own crate, `cognito-wasm-modp`
//! (`crate/modp`), so that it alone is compiled for speed while the rest is compiled for size.
//!
//! Public only with the `srp-server` feature, for emulators and for tests that compare each
//! step with another implementation: signing in needs none of it
//! ([`Client::sign_in_srp`](crate::Client::sign_in_srp) does it all).

use crate::prelude::*;

use core::fmt;

use crate::base64::{self, Alphabet};

use crate::crypto::{hkdf_sha256_16, hmac_sha256, sha256};
use modp::{from_be_bytes, group, to_be_bytes, Limbs};

mod client;
#[cfg(any(feature = "srp-server", test))]
mod server;
#[cfg(test)]
mod tests;

pub use client::{PasswordVerifier, SrpClient};
#[cfg(any(feature = "srp-server", test))]
pub use server::{verifier, SrpServer};

/// Why an SRP computation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A value was not hex or base64, or is larger than the group allows. Names the field.
    Malformed(&'static str),
    /// A protocol value is zero modulo N (`SRP_A`, `SRP_B`) or the scrambler `u` is zero:
    /// continuing would leak or accept anything (RFC 5054 section 2.5.4), so we abort.
    IllegalParameter(&'static str),
    /// The platform's random number generator failed.
    Random,
}

impl SrpError {
    /// The message, for people (what `Display` writes), without the formatting machinery.
    pub fn message(&self) -> String {
        match self {
            SrpError::Malformed(field) => concat(&["SRP value ", field, " is malformed"]),
            SrpError::IllegalParameter(field) => concat(&[
                "SRP value ",
                field,
                " is zero modulo N: refusing to continue",
            ]),
            SrpError::Random => "no secure random numbers available".into(),
        }
    }
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for SrpError {}

/// The `info` of the HKDF that derives the session key.
const INFO: &[u8] = b"Caldera Derived Key";

/// ACIJ's `padHex` on bytes: the minimal big-endian form of the integer, with a `00` prepended
/// when the top bit is set (a leftover of two's-complement hex). Zero is one `00` byte.
pub fn pad(value: &[u8]) -> Vec<u8> {
    let start = value.iter().position(|&b| b != 0).unwrap_or(value.len());
    let minimal = value.get(start..).unwrap_or_default();
    let mut out = Vec::with_capacity(minimal.len() + 1);
    if minimal.first().is_none_or(|&b| b >= 0x80) {
        out.push(0);
    }
    out.extend_from_slice(minimal);
    out
}

/// `padHex` of an integer given in hex, as ACIJ prints it (lowercase).
#[cfg(any(feature = "srp-server", test))]
pub fn pad_hex(hex: &str) -> Result<String, SrpError> {
    Ok(to_hex(&pad(&from_hex("value", hex)?)))
}

/// Lowercase hex, two digits a byte.
pub fn to_hex(bytes: &[u8]) -> String {
    let digit = |d: u8| (if d < 10 { b'0' + d } else { b'a' + d - 10 }) as char;
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(digit(b >> 4));
        s.push(digit(b & 15));
    }
    s
}

/// Hex of any length (odd lengths read as with a leading zero, as `BigInteger(s, 16)` does).
pub fn from_hex(field: &'static str, hex: &str) -> Result<Vec<u8>, SrpError> {
    let digits = hex.as_bytes();
    if digits.is_empty() {
        return Err(SrpError::Malformed(field));
    }
    let mut out = Vec::with_capacity(digits.len().div_ceil(2));
    let odd = digits.len() % 2;
    let mut acc = 0u8;
    for (i, &c) in digits.iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return Err(SrpError::Malformed(field)),
        };
        acc = (acc << 4) | v;
        if (i + odd) % 2 == 1 {
            out.push(acc);
            acc = 0;
        }
    }
    Ok(out)
}

/// Minimal lowercase hex of an integer, as `BigInteger.toString(16)` prints it (`SRP_A`, `SRP_B`).
pub(crate) fn to_minimal_hex(bytes: &[u8]) -> String {
    // Leading zero digits off by a byte scan (`str` patterns cost wasm); zero stays "0".
    let hex = to_hex(bytes);
    let start = hex
        .bytes()
        .position(|b| b != b'0')
        .unwrap_or(hex.len().saturating_sub(1));
    hex.get(start..).unwrap_or("0").to_owned()
}

/// `k = H(padHex(N) || padHex(g))`, ACIJ's `this.k`.
pub fn multiplier() -> [u8; 32] {
    sha256(&[&pad(&to_be_bytes(group().modulus())), &pad(&[2])])
}

/// `u = H(padHex(A) || padHex(B))`, ACIJ's `UValue`.
pub fn scrambler(a_pub: &[u8], b_pub: &[u8]) -> [u8; 32] {
    sha256(&[&pad(a_pub), &pad(b_pub)])
}

/// `x = H(padHex(salt) || H(poolName || userId || ":" || password))`, ACIJ's `xValue`.
pub fn private_key(pool_name: &str, user_id: &str, password: &str, salt: &[u8]) -> [u8; 32] {
    let inner = sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    sha256(&[&pad(salt), &inner])
}

/// `K = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), "Caldera Derived Key", 16 bytes)`.
pub fn session_key(premaster: &[u8], scrambler: &[u8]) -> [u8; 16] {
    hkdf_sha256_16(&pad(premaster), &pad(scrambler), INFO)
}

/// `PASSWORD_CLAIM_SIGNATURE = base64(HMAC(K, poolName || userId || SECRET_BLOCK || TIMESTAMP))`.
pub fn claim_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    base64::encode(
        &hmac_sha256(
            key,
            &[
                pool_name.as_bytes(),
                user_id.as_bytes(),
                secret_block,
                timestamp.as_bytes(),
            ],
        ),
        Alphabet::Standard,
    )
}

/// The `TIMESTAMP` of a password claim: `ddd MMM D HH:mm:ss UTC YYYY`, English, UTC, the day of
/// the month not zero-padded (`Thu Jan 1 00:00:00 UTC 1970`). Takes the time as an argument
/// because `SystemTime::now()` panics on wasm32-unknown-unknown.
pub fn timestamp(unix_seconds: u64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds / 86_400;
    let secs = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let two = |n: u64| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let mut out = String::with_capacity(32);
    // Both indices are in range (a remainder by 7; a month is 1 to 12): `get` only spares
    // the bounds check's panic path.
    out.push_str(
        DAYS.get(((days + 4) % 7) as usize)
            .copied()
            .unwrap_or_default(),
    );
    out.push(' ');
    out.push_str(
        MONTHS
            .get(month.wrapping_sub(1) as usize)
            .copied()
            .unwrap_or_default(),
    );
    out.push(' ');
    out.push_str(&crate::json::itoa(day as i64));
    for (sep, n) in [(' ', secs / 3600), (':', secs / 60 % 60), (':', secs % 60)] {
        out.push(sep);
        out.extend(two(n).map(char::from));
    }
    out.push_str(" UTC ");
    out.push_str(&crate::json::itoa(year as i64));
    out
}

/// Days since 1970-01-01 to (year, month 1-12, day 1-31); Howard Hinnant's algorithm.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Builds the tables SRP uses (56 KiB, a few milliseconds of wasm) now rather than during the
/// first sign-in: call it when the sign-in form appears, or in a worker.
pub fn precompute() {
    modp::comb_table();
}

pub(crate) fn k_limbs() -> Limbs {
    // k is 32 bytes, far below N's 384, so it always fits. // invariant
    from_be_bytes(&multiplier()).unwrap_or([0; modp::LIMBS])
}
