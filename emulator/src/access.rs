//! Who may drive the emulator: which pages may read its answers (CORS), which `Host` names it
//! answers to (DNS rebinding), and the header its own routes and admin calls require.
//!
//! The emulator has no credentials, so a web page the developer happens to visit must not be
//! able to use it: its answers go only to loopback origins and those given with
//! `--cors-origin`, it answers only requests addressed to a loopback name or one given with
//! `--allow-host` (a page on `attacker.example` rebound to 127.0.0.1 still sends
//! `Host: attacker.example`), and everything beyond the user's own Cognito calls needs
//! [`ADMIN_HEADER`], which a page on another origin cannot send without a CORS preflight that
//! the emulator refuses.

use std::net::IpAddr;

/// The header `/_emulator/*` routes and the admin operations require (any value; we send `1`).
/// Not a CORS-safelisted header, so a cross-origin page can only send it after a preflight.
pub const ADMIN_HEADER: &str = "x-cognito-emulator-admin";

/// The origins and hosts allowed besides loopback ones.
#[derive(Default, Debug)]
pub struct Access {
    /// `scheme://host[:port]`, lowercase, as browsers send `Origin`.
    origins: Vec<String>,
    /// Host names or IP addresses (IPv6 in brackets), lowercase; any port.
    hosts: Vec<String>,
}

impl Access {
    /// Adds an origin given with `--cors-origin`, checked and normalized.
    pub fn add_origin(&mut self, origin: &str) -> Result<(), String> {
        let normalized = origin.trim_end_matches('/').to_ascii_lowercase();
        let valid = normalized.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                && split_host_port(rest).is_some()
        });
        if !valid {
            return Err(format!(
                "--cors-origin {origin:?}: expected scheme://host[:port], as a browser sends \
                 Origin (no path), e.g. http://dev.example:3000"
            ));
        }
        self.origins.push(normalized);
        Ok(())
    }

    /// Adds a host given with `--allow-host` (a name or an IP address, without port).
    pub fn add_host(&mut self, host: &str) -> Result<(), String> {
        let host = host.trim().to_ascii_lowercase();
        let host = match host.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
            _ => host,
        };
        match split_host_port(&host) {
            Some((name, None)) if !name.is_empty() => {
                self.hosts.push(host);
                Ok(())
            }
            _ => Err(format!(
                "--allow-host {host:?}: expected a host name or IP address without port \
                 (every port is allowed), e.g. cognito"
            )),
        }
    }

    /// Allows the host of a URL (the public URL's: clients reach us by that name).
    pub fn add_host_of_url(&mut self, url: &str) {
        let authority = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        if let Some((host, _)) = split_host_port(authority) {
            if !host.is_empty() {
                self.hosts.push(host.to_ascii_lowercase());
            }
        }
    }

    /// Allows the address the emulator is bound to, when it is a specific one.
    pub fn add_bound_address(&mut self, ip: IpAddr) {
        if !ip.is_unspecified() && !ip.is_loopback() {
            self.hosts.push(match ip {
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) => format!("[{ip}]"),
            });
        }
    }

    /// Whether a page on `origin` (the request's `Origin` header) may read our answers.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let Some((scheme, rest)) = origin.split_once("://") else {
            return false;
        };
        let loopback = (scheme.eq_ignore_ascii_case("http")
            || scheme.eq_ignore_ascii_case("https"))
            && split_host_port(rest).is_some_and(|(host, _)| is_loopback(host));
        loopback || self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }

    /// Whether a request with this `Host` header is addressed to us.
    pub fn host_allowed(&self, host_header: &str) -> bool {
        split_host_port(host_header).is_some_and(|(host, _)| {
            is_loopback(host) || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
        })
    }
}

/// `localhost`, `127.0.0.1` or `[::1]`, in any case.
fn is_loopback(host: &str) -> bool {
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|l| l.eq_ignore_ascii_case(host))
}

/// `host[:port]` into the host and the port, if the whole is well formed: a name of letters,
/// digits, `-`, `.` and `_`, or an IPv6 address in brackets; the port 1 to 5 digits up to 65535.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(inner) => {
            let end = inner.find(']')?;
            let address = inner.get(..end)?;
            if address.is_empty()
                || !address
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b":.".contains(&b))
            {
                return None;
            }
            let (host, rest) = authority.split_at(end + 2);
            match rest {
                "" => (host, None),
                _ => (host, Some(rest.strip_prefix(':')?)),
            }
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            if host.is_empty()
                || !host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
            {
                return None;
            }
            (host, port)
        }
    };
    let port = match port {
        None => None,
        Some(p) if (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins_and_configured_ones() {
        let mut access = Access::default();
        for origin in [
            "http://localhost:5173",
            "http://localhost",
            "https://localhost:8443",
            "http://127.0.0.1:1",
            "http://[::1]:65535",
            "HTTP://LOCALHOST:3000",
        ] {
            assert!(access.origin_allowed(origin), "{origin}");
        }
        for origin in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example:80",
            "http://evil.example/http://localhost",
            "http://localhost:99999",
            "http://localhost:",
            "http://localhost/",
            "http://user@localhost",
            "null",
            "file://",
            "ftp://localhost",
            "",
        ] {
            assert!(!access.origin_allowed(origin), "{origin}");
        }
        access.add_origin("https://Dev.Example:3000/").unwrap();
        assert!(access.origin_allowed("https://dev.example:3000"));
        assert!(!access.origin_allowed("https://dev.example"));
        assert!(!access.origin_allowed("http://dev.example:3000"));
        assert!(access.add_origin("dev.example").is_err());
        assert!(access.add_origin("https://dev.example/app").is_err());
        assert!(access.add_origin("*").is_err());
    }

    #[test]
    fn loopback_hosts_and_configured_ones() {
        let mut access = Access::default();
        for host in [
            "localhost:9229",
            "127.0.0.1:1",
            "[::1]:9229",
            "localhost",
            "LocalHost:80",
        ] {
            assert!(access.host_allowed(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:9229",
            "localhost.evil.example:9229",
            "127.0.0.1.nip.io:9229",
            "cognito:9229",
            "localhost:abc",
            "",
        ] {
            assert!(!access.host_allowed(host), "{host}");
        }
        access.add_host("Cognito").unwrap();
        access.add_host("fd00::1").unwrap();
        access.add_host_of_url("https://cognito-idp.us-east-1.amazonaws.com/prefix");
        access.add_bound_address("192.168.1.5".parse().unwrap());
        access.add_bound_address("0.0.0.0".parse().unwrap());
        for host in [
            "cognito:9229",
            "COGNITO",
            "[fd00::1]:9229",
            "cognito-idp.us-east-1.amazonaws.com",
            "192.168.1.5:9229",
        ] {
            assert!(access.host_allowed(host), "{host}");
        }
        assert!(!access.host_allowed("0.0.0.0:9229"));
        assert!(access.add_host("cognito:9229").is_err());
        assert!(access.add_host("a/b").is_err());
        assert!(access.add_host("").is_err());
    }
}
