//! Where a verifier's keys and issuer may come from: `https://`, or `http://` on this machine
//! (an emulator). A JWKS fetched over plain http from elsewhere can be replaced by anyone on
//! the path, and with it every key the verifier trusts.

/// Whether `url` is `https://...`, or `http://` to a loopback host (`localhost`, `127.x.x.x`,
/// `[::1]`, any port). A byte scan: the core links no URL parser.
pub(crate) fn secure_or_loopback(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = rest.as_bytes().get(..end).unwrap_or_default();
    // `http://localhost@evil.example/`: the host is after the `@`.
    // Not `contains`: for bytes it links `memchr`, 0.4 KB of wasm for a 20-byte scan.
    #[allow(clippy::manual_contains)]
    if authority.iter().any(|&b| b == b'@') {
        return false;
    }
    let (host, port) = match authority.iter().position(|&b| b == b']') {
        Some(close) if authority.first() == Some(&b'[') => authority.split_at(close + 1),
        _ => {
            let colon = authority.iter().position(|&b| b == b':');
            authority.split_at(colon.unwrap_or(authority.len()))
        }
    };
    let port_ok = match port {
        [] => true,
        [b':', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    port_ok && (host.eq_ignore_ascii_case(b"localhost") || host == b"[::1]" || loopback_v4(host))
}

/// `127.a.b.c`, each part 0-255 in decimal, at most three digits. One pass over the bytes
/// (a `split` and a `fold` per part cost 0.4 KB of wasm more).
fn loopback_v4(host: &[u8]) -> bool {
    let Some(rest) = host.strip_prefix(b"127.") else {
        return false;
    };
    let (mut parts, mut value, mut digits) = (1, 0u16, 0);
    for &b in rest.iter().chain(b".") {
        if b == b'.' {
            if digits == 0 || value > 255 {
                return false;
            }
            (parts, value, digits) = (parts + 1, 0, 0);
        } else if b.is_ascii_digit() && digits < 3 {
            (value, digits) = (value * 10 + u16::from(b - b'0'), digits + 1);
        } else {
            return false;
        }
    }
    parts == 4
}

#[cfg(test)]
mod tests {
    use super::secure_or_loopback;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        for ok in [
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz",
            "https://example.com",
            "http://localhost:9229/us-east-1_Practical",
            "http://LOCALHOST/x",
            "http://127.0.0.1:9229/pool",
            "http://127.1.2.3/pool",
            "http://[::1]:8080/pool/.well-known/jwks.json",
            "http://localhost?x",
        ] {
            assert!(secure_or_loopback(ok), "{ok}");
        }
        for refused in [
            "http://cognito-idp.us-east-1.amazonaws.com/pool",
            "http://example.com/jwks.json",
            "http://localhost.evil.example/jwks.json",
            "http://localhost@evil.example/jwks.json",
            "http://127.0.0.1.evil.example/",
            "http://127.0.0.256/",
            "http://128.0.0.1/",
            "http://127.0.0/",
            "http://127.0.0.1./",
            "http://127..0.1/",
            "http://127.0.0.0001/",
            "http://0127.0.0.1/",
            "http://[::2]/",
            "http://localhost:/",
            "http://localhost:80x/",
            "ftp://localhost/",
            "file:///etc/jwks.json",
            "",
            "localhost",
        ] {
            assert!(!secure_or_loopback(refused), "{refused}");
        }
    }
}
