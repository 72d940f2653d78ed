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
use modp::{from_be_bytes, group, is_zero, limbs_of, mul_add, to_be_bytes, Limbs};

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
fn to_minimal_hex(bytes: &[u8]) -> String {
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

/// Builds the tables SRP uses (112 KiB, a few milliseconds of wasm) now rather than during the
/// first sign-in: call it when the sign-in form appears, or in a worker.
pub fn precompute() {
    modp::comb_table();
}

/// The client side of one sign-in: holds the secret `a` between `InitiateAuth` and
/// `RespondToAuthChallenge`.
pub struct SrpClient {
    a: Vec<u32>,
    /// `A = g^a mod N`, minimal big-endian bytes.
    a_pub: Vec<u8>,
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
    /// Bytes of the secret exponent `a`: 384 bits. ACIJ draws 1024, which buys nothing: the
    /// 3072-bit group offers about 128 bits of security (NIST SP 800-57), an exponent needs
    /// twice that against the square-root attacks on short exponents (NIST SP 800-56A), and
    /// RFC 3526 itself suggests 260 to 400 bits for this group. 384 sits at the top of that
    /// range, and costs a third of ACIJ's squarings for A. See ARCHITECTURE.md.
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
        let a = limbs_of(a);
        let a_pub = g.mont_out(&g.pow2(&a));
        if is_zero(&a_pub) {
            return Err(SrpError::IllegalParameter("SRP_A"));
        }
        Ok(SrpClient {
            a,
            a_pub: to_be_bytes(&a_pub),
        })
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
        let x = private_key(pool_name, user_id, password, &salt);
        let x_limbs = limbs_of(&x);

        let g_x = g.pow2(&x_limbs);
        let k_g_x = g.mul(&g.mont_in(&k_limbs()), &g_x);
        let base = g.sub(&g.mont_in(&b), &k_g_x);
        let exponent = mul_add(&self.a, &limbs_of(&u), &x_limbs);
        let s = g.mont_out(&g.pow(&base, &exponent));
        Ok((to_be_bytes(&s), u))
    }

    /// `PASSWORD_CLAIM_SIGNATURE` for the challenge, signed at `timestamp` (see [`timestamp`]).
    pub fn password_claim(
        &self,
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
        let key = session_key(&s, &u);
        Ok(claim_signature(&key, pool_name, user_id, &block, timestamp))
    }
}

/// `SECRET_BLOCK` as bytes. Cognito sends standard base64; ACIJ decodes with Node's `Buffer`,
/// which also takes the URL-safe alphabet and missing padding, and some servers (moto) send
/// such strings, so we read both alphabets too. Anything else is refused.
fn decode_secret_block(block: &str) -> Result<Vec<u8>, SrpError> {
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

fn k_limbs() -> Limbs {
    // k is 32 bytes, far below N's 384, so it always fits. // invariant
    from_be_bytes(&multiplier()).unwrap_or([0; modp::LIMBS])
}

/// The verifier `v = g^x mod N` a server stores instead of the password (minimal big-endian).
#[cfg(any(feature = "srp-server", test))]
pub fn verifier(pool_name: &str, user_id: &str, password: &str, salt: &[u8]) -> Vec<u8> {
    let g = group();
    let x = private_key(pool_name, user_id, password, salt);
    to_be_bytes(&g.mont_out(&g.pow2(&limbs_of(&x))))
}

/// The server side of one sign-in, for the emulator: `B = k·v + g^b`, `S = (A·v^u)^b`.
#[cfg(any(feature = "srp-server", test))]
pub struct SrpServer {
    b: Vec<u32>,
    b_pub: Vec<u8>,
    v: Limbs,
}

#[cfg(any(feature = "srp-server", test))]
impl fmt::Debug for SrpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpServer")
            .field("b_pub", &to_minimal_hex(&self.b_pub))
            .finish_non_exhaustive()
    }
}

#[cfg(any(feature = "srp-server", test))]
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
        let b_pub = g.mont_out(&g.add(&k_v, &g.pow2(&b)));
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
        let v_u = g.pow(&g.mont_in(&self.v), &limbs_of(&u));
        let base = g.mul(&g.mont_in(&a), &v_u);
        let s = g.mont_out(&g.pow(&base, &self.b));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_follows_acij_padhex() {
        assert_eq!(pad(&[]), vec![0]);
        assert_eq!(pad(&[0, 0]), vec![0]);
        assert_eq!(pad(&[0x7f]), vec![0x7f]);
        assert_eq!(pad(&[0x80]), vec![0, 0x80]);
        assert_eq!(pad(&[0, 0, 0xff, 1]), vec![0, 0xff, 1]);
        assert_eq!(pad_hex("abc").unwrap(), "0abc");
        assert_eq!(pad_hex("0").unwrap(), "00");
        assert_eq!(pad_hex("8").unwrap(), "08");
        assert_eq!(pad_hex("80").unwrap(), "0080");
        assert_eq!(pad_hex("000f").unwrap(), "0f");
        assert!(pad_hex("xyz").is_err());
        assert!(pad_hex("").is_err());
    }

    #[test]
    fn timestamp_is_acij_format() {
        assert_eq!(timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        // 2022-02-14T09:05:07Z
        assert_eq!(timestamp(1_644_829_507), "Mon Feb 14 09:05:07 UTC 2022");
        // 2024-02-29T23:59:59Z, a leap day
        assert_eq!(timestamp(1_709_251_199), "Thu Feb 29 23:59:59 UTC 2024");
        // 2000-03-01T00:00:00Z
        assert_eq!(timestamp(951_868_800), "Wed Mar 1 00:00:00 UTC 2000");
    }

    #[test]
    fn client_and_server_agree_and_a_wrong_password_does_not() {
        let salt = from_hex("salt", "9a3f").unwrap();
        let v = verifier("AbC123xyz", "alice", "Correct-Horse-9", &salt);
        let server = SrpServer::new(&v).unwrap();
        let client = SrpClient::new().unwrap();
        let block = b"secret block";
        let challenge_block = base64::encode(block, Alphabet::Standard);
        let ch = PasswordVerifier {
            srp_b: &server.public_hex(),
            salt: "9a3f",
            secret_block: &challenge_block,
            user_id_for_srp: "alice",
        };
        let ts = timestamp(1_700_000_000);
        let sig = client
            .password_claim("AbC123xyz", "Correct-Horse-9", &ch, &ts)
            .unwrap();
        let ok = |sig: &str| {
            server
                .verify_claim(&client.public_hex(), "AbC123xyz", "alice", block, &ts, sig)
                .unwrap()
        };
        assert!(ok(&sig));
        let wrong = client
            .password_claim("AbC123xyz", "Correct-Horse-8", &ch, &ts)
            .unwrap();
        assert!(!ok(&wrong));
    }

    #[test]
    fn secret_blocks_in_either_base64_alphabet_are_read() {
        assert_eq!(decode_secret_block("+/8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode_secret_block("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode_secret_block("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(
            decode_secret_block("db0d5399-12a0-47ac-97fe-83cae6a6b879")
                .unwrap()
                .len(),
            27
        );
        assert_eq!(
            decode_secret_block("not base64!"),
            Err(SrpError::Malformed("SECRET_BLOCK"))
        );
    }

    #[test]
    fn zero_values_are_refused() {
        let client = SrpClient::with_secret(&[7]).unwrap();
        let n = modp::N_HEX;
        for b in ["0", "00", n] {
            assert_eq!(
                client.premaster_secret("p", "u", "pw", b, "01"),
                Err(SrpError::IllegalParameter("SRP_B"))
            );
        }
        assert_eq!(
            client.premaster_secret("p", "u", "pw", "zz", "01"),
            Err(SrpError::Malformed("SRP_B"))
        );
        let too_long = "1".repeat(800);
        assert_eq!(
            client.premaster_secret("p", "u", "pw", &too_long, "01"),
            Err(SrpError::Malformed("SRP_B"))
        );
        let server = SrpServer::with_secret(&[5], &[9]).unwrap();
        assert_eq!(
            server.session_key(n),
            Err(SrpError::IllegalParameter("SRP_A"))
        );
        assert_eq!(client.public_hex(), "80");
    }
}
