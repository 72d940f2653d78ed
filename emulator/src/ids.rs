//! Random identifiers and codes shaped like Cognito's, so clients that parse them (the region
//! and SRP pool name from a pool id, for one) behave as they do against AWS.

use crate::error::{ApiError, ApiResult};

pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).map_err(|_| ApiError::internal("no random numbers"))?;
    Ok(buf)
}

/// `len` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias).
fn random_string(alphabet: &[u8], len: usize) -> ApiResult<String> {
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<64>()? {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    Ok(out)
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// `us-east-1_AbC123xyz`.
pub fn pool_id(region: &str) -> ApiResult<String> {
    Ok(format!("{region}_{}", random_string(ALNUM, 9)?))
}

/// 26 lowercase alphanumerics, like Cognito's app client ids.
pub fn client_id() -> ApiResult<String> {
    random_string(LOWER_ALNUM, 26)
}

/// 51 lowercase alphanumerics, like Cognito's app client secrets.
pub fn client_secret() -> ApiResult<String> {
    random_string(LOWER_ALNUM, 51)
}

/// Six random digits.
pub fn code() -> ApiResult<String> {
    random_string(b"0123456789", 6)
}

/// A temporary password for AdminCreateUser that any password policy accepts: an uppercase
/// letter, a lowercase one, a digit and a symbol, then letters and digits up to `length`
/// (at least 12 characters).
pub fn temporary_password(length: usize) -> ApiResult<String> {
    Ok(format!(
        "{}{}{}-{}",
        random_string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)?,
        random_string(b"abcdefghijklmnopqrstuvwxyz", 1)?,
        random_string(b"0123456789", 1)?,
        random_string(ALNUM, length.max(12) - 4)?
    ))
}

/// A challenge's `Session`: 96 random bytes, base64 (Cognito's are opaque too, and longer).
pub fn challenge_session() -> ApiResult<String> {
    use base64ct::{Base64, Encoding};
    Ok(Base64::encode_string(&random_bytes::<96>()?))
}

/// A random (version 4) UUID, for `sub`, `jti`, `event_id` and request ids.
pub fn uuid() -> ApiResult<String> {
    let mut b = random_bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = cognito_wasm::srp::to_hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// HMAC-SHA256 (RFC 2104) of the concatenated `parts`: a dozen lines over `sha2` rather than
/// another crate.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let mut inner = Sha256::new_with_prefix(pad(0x36));
    for part in parts {
        inner.update(part);
    }
    let mut outer = Sha256::new_with_prefix(pad(0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::hmac_sha256;

    #[test]
    fn hmac_rfc4231() {
        let hex = |b: [u8; 32]| cognito_wasm::srp::to_hex(&b);
        // Test case 2.
        assert_eq!(
            hex(hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block.
        assert_eq!(
            hex(hmac_sha256(
                &[0xaa; 131],
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
