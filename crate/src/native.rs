//! The native [`Platform`]: blocking HTTP with ureq, the system clock, RS256 with the `rsa`
//! crate. For servers (the demo's API), tests and tools; never in the wasm build.
//!
//! Its futures complete on their first poll (the work is blocking), so run verification on a
//! blocking thread in async servers (`tokio::task::spawn_blocking`).

use crate::prelude::*;
use alloc::string::ToString;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::platform::{HttpResponse, Platform};

/// Blocking HTTP, system time and RustCrypto's RSA. Plain http without `native-tls`.
///
/// Its futures do their work on the first poll, blocking: an async server runs them on a
/// blocking thread.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// use cognito_wasm::{Claims, NativePlatform, TokenUse, Verifier, VerifierConfig, VerifyError};
///
/// fn verifier() -> Result<Arc<Verifier<NativePlatform>>, VerifyError> {
///     let config = VerifierConfig::new(
///         "us-east-1_AbC123xyz",
///         ["4tq8a9c1h2e3f4g5h6i7j8k9l0"],
///         Some(TokenUse::Access),
///     );
///     Verifier::new(config, NativePlatform::new(Duration::from_secs(3))).map(Arc::new)
/// }
///
/// // In tokio: `spawn_blocking(move || check(&verifier, &token))`.
/// fn check(verifier: &Verifier<NativePlatform>, token: &str) -> Result<Claims, VerifyError> {
///     // Any executor does; the work is done by the first poll.
///     futures::executor::block_on(verifier.verify(token))
/// }
/// ```
#[derive(Clone)]
pub struct NativePlatform {
    agent: ureq::Agent,
}

impl NativePlatform {
    /// A platform whose requests give up after `timeout`.
    pub fn new(timeout: Duration) -> NativePlatform {
        NativePlatform {
            agent: ureq::AgentBuilder::new().timeout(timeout).build(),
        }
    }

    fn finish(result: Result<ureq::Response, ureq::Error>) -> Result<HttpResponse, Error> {
        let response = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => {
                let text = t.to_string();
                return Err(if text.contains("timed out") {
                    Error::Timeout
                } else {
                    Error::Network(text)
                });
            }
        };
        let status = response.status();
        let error_type = response.header("x-amzn-errortype").map(str::to_owned);
        let body = response
            .into_string()
            .map_err(|e| Error::Network(e.to_string()))?;
        Ok(HttpResponse {
            status,
            body,
            error_type,
        })
    }
}

impl Default for NativePlatform {
    fn default() -> Self {
        NativePlatform::new(Duration::from_secs(10))
    }
}

impl Platform for NativePlatform {
    type Key = crate::rs256::Key;

    async fn post_json(
        &self,
        url: &str,
        target: &str,
        body: String,
    ) -> Result<HttpResponse, Error> {
        Self::finish(
            self.agent
                .post(url)
                .set("content-type", "application/x-amz-json-1.1")
                .set("x-amz-target", target)
                .send_string(&body),
        )
    }

    async fn get(&self, url: &str) -> Result<HttpResponse, Error> {
        Self::finish(self.agent.get(url).call())
    }

    fn now(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }

    async fn import_rsa_key(&self, modulus: &[u8], exponent: &[u8]) -> Result<Self::Key, String> {
        crate::rs256::import(modulus, exponent)
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        Ok(crate::rs256::verify(key, message, signature))
    }
}
