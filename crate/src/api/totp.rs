//! The `otpauth://` URI an authenticator app scans (as a QR code) to take a TOTP key: Google
//! Authenticator's Key Uri Format, which every app reads. Cognito's keys are RFC 6238's
//! defaults (HMAC-SHA1, 6 digits, 30 seconds), so the URI names none of them.

use crate::prelude::*;

/// `otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}`, the label and the
/// issuer percent-encoded. `issuer` is what the app shows the account under (your app's
/// name), `account` the user (a username or an email), `secret` AssociateSoftwareToken's
/// `SecretCode`.
pub fn totp_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer = encode(issuer);
    concat(&[
        "otpauth://totp/",
        &issuer,
        ":",
        &encode(account),
        "?secret=",
        &encode(secret),
        "&issuer=",
        &issuer,
    ])
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    /// A nibble's uppercase hex digit.
    fn hex(nibble: u8) -> char {
        char::from(if nibble < 10 {
            b'0' + nibble
        } else {
            b'A' + nibble - 10
        })
    }
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 15));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::totp_uri;

    #[test]
    fn the_label_and_issuer_are_encoded() {
        assert_eq!(
            totp_uri("My App", "ada@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/My%20App:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20App"
        );
        assert_eq!(
            totp_uri("é:x", "a/b", "S"),
            "otpauth://totp/%C3%A9%3Ax:a%2Fb?secret=S&issuer=%C3%A9%3Ax"
        );
        // The same as the JS `totpUri` (tests/e2e/challenges.test.mjs).
        assert_eq!(
            totp_uri("Bob's App (x)*!", "a/b", "S"),
            "otpauth://totp/Bob%27s%20App%20%28x%29%2A%21:a%2Fb?secret=S&issuer=Bob%27s%20App%20%28x%29%2A%21"
        );
    }
}
