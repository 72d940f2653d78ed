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

/// An opaque token of `N` random bytes, base64url.
pub fn opaque<const N: usize>() -> ApiResult<String> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Ok(Base64UrlUnpadded::encode_string(&random_bytes::<N>()?))
}
