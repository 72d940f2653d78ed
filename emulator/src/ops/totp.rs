//! RFC 6238 TOTP, as authenticator apps compute it: HMAC-SHA1 (RFC 4226's HOTP), 6 digits,
//! 30-second steps, a code of the step before or after accepted too; and the key as the apps
//! take it, RFC 4648 base32 without padding.

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::error::ApiResult;
use crate::ids;

/// A TOTP step, in seconds.
const STEP: u64 = 30;
/// Steps either side of now whose code is accepted (clock skew, a code typed late).
const WINDOW: u64 = 1;
/// Bytes of a new TOTP key: 160 bits, as RFC 4226 recommends (32 base32 characters).
pub(super) const SECRET_BYTES: usize = 20;

/// RFC 4226's HOTP of `counter`, 6 digits.
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    // HMAC takes a key of any length. // invariant
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let at = usize::from(digest[19] & 0x0f);
    let word = u32::from_be_bytes([digest[at], digest[at + 1], digest[at + 2], digest[at + 3]]);
    (word & 0x7fff_ffff) % 1_000_000
}

/// The step whose TOTP of `secret` `code` is, within [`WINDOW`] of `now` and later than
/// `used` (the step of the last code accepted): a code is good once, as RFC 6238 section 5.2
/// asks and Cognito does.
pub(super) fn accepted_step(secret: &[u8], now: f64, code: &str, used: Option<u64>) -> Option<u64> {
    // Six ASCII digits, as apps show them: not "12345" for "012345", nor "+12345".
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = code.parse::<u32>().ok()?;
    let step = (now.max(0.0) as u64) / STEP;
    (step.saturating_sub(WINDOW)..=step + WINDOW)
        .filter(|s| used.is_none_or(|u| *s > u))
        .find(|s| hotp(secret, *s) == code)
}

/// RFC 4648 base32, unpadded: how authenticator apps take a key.
pub(super) fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// A new key: its bytes, and its base32 (the SecretCode the user's app takes).
pub fn new_secret() -> ApiResult<(Vec<u8>, String)> {
    let secret = ids::random_bytes::<SECRET_BYTES>()?.to_vec();
    let code = base32(&secret);
    Ok((secret, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's Appendix B vectors for SHA-1 (its 8 digits, cut to 6), and RFC 4648's
    /// base32 vectors.
    #[test]
    fn totp_and_base32_are_the_rfcs() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, 94_287_082u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(hotp(secret, time / STEP), code % 1_000_000, "{time}");
            let six = format!("{:06}", code % 1_000_000);
            let step = time / STEP;
            assert_eq!(accepted_step(secret, time as f64, &six, None), Some(step));
            let unpadded = (code % 1_000_000).to_string();
            if unpadded.len() < 6 {
                assert_eq!(accepted_step(secret, time as f64, &unpadded, None), None);
            }
            let signed = format!("+{}", &six[1..]);
            assert_eq!(accepted_step(secret, time as f64, &signed, None), None);
            let late = (time + STEP) as f64;
            assert_eq!(
                accepted_step(secret, late, &six, None),
                Some(step),
                "a step late"
            );
            assert_eq!(
                accepted_step(secret, time as f64, &six, Some(step)),
                None,
                "used"
            );
            assert_eq!(
                accepted_step(secret, (time + 3 * STEP) as f64, &six, None),
                None
            );
        }
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(bytes), text);
        }
        assert_eq!(base32(&[0u8; SECRET_BYTES]).len(), 32);
    }
}
