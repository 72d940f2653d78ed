//! HMAC-SHA256 and HKDF over the `sha2` crate: a dozen lines instead of the `hmac`/`hkdf`
//! crates' generic machinery, and no fallible constructor whose error cannot happen. And
//! `wipe`, for secrets.

use sha2::{Digest, Sha256};

/// Overwrites `values` with zeros, for secrets (SRP's `a`, `x`, `S`, `K` and what lies
/// between) that must not outlive their use in freed memory. Volatile writes, which the
/// optimiser may not drop as dead stores, then a compiler fence so that nothing after is
/// moved before them: what the zeroize crate does for slices, in a few lines (its impls for
/// each type, vectors and arrays cost the package's wasm 0.8 KB, measured).
pub(crate) fn wipe<T: Copy + Default>(values: &mut [T]) {
    for v in values.iter_mut() {
        // SAFETY: `v` is a valid, aligned, exclusive reference to a `T` (Copy: nothing to drop).
        unsafe { core::ptr::write_volatile(v, T::default()) };
    }
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// HMAC-SHA256 (RFC 2104) of the concatenation of `parts`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = [0u8; 64];
    // A key longer than the block is hashed first (RFC 2104); a shorter one is zero-padded.
    let hashed;
    let key = if key.len() > 64 {
        hashed = sha256(&[key]);
        &hashed[..]
    } else {
        key
    };
    for (b, k) in block.iter_mut().zip(key) {
        *b = *k;
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    for p in parts {
        inner.update(p);
    }
    let inner: [u8; 32] = inner.finalize().into();
    sha256(&[&block.map(|b| b ^ 0x5c), &inner])
}

/// HKDF-SHA256 (RFC 5869) for outputs of at most one block, which is all SRP needs.
pub(crate) fn hkdf_sha256_16(ikm: &[u8], salt: &[u8], info: &[u8]) -> [u8; 16] {
    let prk = hmac_sha256(salt, &[ikm]);
    let okm = hmac_sha256(&prk, &[info, &[1]]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&okm[..16]);
    out
}

/// Constant-time equality, for comparing secrets (SRP's server side).
#[cfg(any(feature = "srp-server", test))]
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Fills `buf` with secure random bytes; `false` if the platform has none.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn fill_random(buf: &mut [u8]) -> bool {
    getrandom::getrandom(buf).is_ok()
}

/// Fills `buf` with secure random bytes from `crypto.getRandomValues` (windows and workers
/// alike); `false` if there is none. One import where the `getrandom` crate's browser support
/// brought a dozen (Node's `crypto` module, `msCrypto`, the global object's four names).
/// Not in the JS package's core (no `std`), whose driver passes random bytes in: the core
/// imports nothing.
#[cfg(all(target_arch = "wasm32", feature = "std"))]
pub(crate) fn fill_random(buf: &mut [u8]) -> bool {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
        fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
    }
    // At most 65,536 bytes per call, as WebCrypto allows.
    buf.chunks_mut(65_536)
        .all(|chunk| get_random_values(chunk).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_rfc4231_vectors() {
        // Test case 2: short key.
        assert_eq!(
            hex(&hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: key longer than the block.
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hkdf_rfc5869_case1_prefix() {
        let ikm = [0x0b; 22];
        let salt: Vec<u8> = (0..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        assert_eq!(
            hex(&hkdf_sha256_16(&ikm, &salt, &info)),
            "3cb25f25faacd57a90434f64d0362f2a"
        );
    }

    #[test]
    fn ct_eq_compares_length_and_content() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
