//! What the library needs from its host, so the core builds and tests natively: HTTP, a
//! clock, and RS256 verification. The browser's implementation (`wasm::WebPlatform`) uses
//! fetch, `Date.now` and WebCrypto; `native::NativePlatform` (feature `native`) uses ureq,
//! `SystemTime` and the `rsa` crate.

use crate::prelude::*;

use core::future::Future;

use crate::error::Error;

/// An HTTP answer, whatever its status.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// The `x-amzn-errortype` header, if any.
    pub error_type: Option<String>,
}

/// The host's services. Futures need not be `Send`: in the browser nothing is.
pub trait Platform {
    /// A public key prepared for verification (a WebCrypto `CryptoKey`, an RSA key natively),
    /// imported once per JWKS key and cached by the verifier.
    type Key;

    /// `POST url` with Cognito's JSON 1.1 headers and `X-Amz-Target: target`. A time-out is
    /// [`Error::Timeout`], any other failure to get an answer [`Error::Network`].
    fn post_json(
        &self,
        url: &str,
        target: &str,
        body: String,
    ) -> impl Future<Output = Result<HttpResponse, Error>>;

    /// `GET url` (the JWKS).
    fn get(&self, url: &str) -> impl Future<Output = Result<HttpResponse, Error>>;

    /// Seconds since the Unix epoch.
    fn now(&self) -> f64;

    /// Imports an RSA public key from its big-endian modulus and exponent.
    fn import_rsa_key(
        &self,
        modulus: &[u8],
        exponent: &[u8],
    ) -> impl Future<Output = Result<Self::Key, String>>;

    /// RSASSA-PKCS1-v1_5 with SHA-256 (`RS256`): whether `signature` signs `message`.
    fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> impl Future<Output = Result<bool, String>>;
}

/// A borrowed platform is one too (so [`Client::with_client_metadata`](crate::Client::with_client_metadata)
/// can lend its own).
impl<P: Platform + ?Sized> Platform for &P {
    type Key = P::Key;

    fn post_json(
        &self,
        url: &str,
        target: &str,
        body: String,
    ) -> impl Future<Output = Result<HttpResponse, Error>> {
        (**self).post_json(url, target, body)
    }

    fn get(&self, url: &str) -> impl Future<Output = Result<HttpResponse, Error>> {
        (**self).get(url)
    }

    fn now(&self) -> f64 {
        (**self).now()
    }

    fn import_rsa_key(
        &self,
        modulus: &[u8],
        exponent: &[u8],
    ) -> impl Future<Output = Result<Self::Key, String>> {
        (**self).import_rsa_key(modulus, exponent)
    }

    fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> impl Future<Output = Result<bool, String>> {
        (**self).verify_rs256(key, message, signature)
    }
}
