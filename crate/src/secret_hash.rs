//! `SECRET_HASH`: the proof that a request comes from an app client that knows its secret.
//!
//! Cognito requires it on every unauthenticated call of a client that has a secret, and answers
//! `NotAuthorizedException` when it is missing or wrong. A secret shipped to a browser is
//! readable by anyone who opens the page, so public web apps should use clients without one;
//! we support it because the practical (and many server-side setups) use one.

use crate::prelude::*;

use crate::base64::{encode, Alphabet};
use crate::crypto::hmac_sha256;

/// `base64(HMAC-SHA256(key = client secret, message = username || client id))`, as AWS documents.
///
/// For `REFRESH_TOKEN_AUTH` the username is the one the tokens were issued to (or the user's
/// `sub` in pools that sign in with an alias). [`Client`](crate::Client) computes it for every
/// call that needs it; this is for requests made by other means.
///
/// ```
/// use cognito_wasm::secret_hash;
///
/// let hash = secret_hash("client-secret", "alice", "4tq8a9c1h2e3f4g5h6i7j8k9l0");
/// assert_eq!(hash, "3rmTrWHVdzhdM8JeJ8Hfw4qCwBRNG5ptYqpbVaSj+/w=");
/// ```
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mac = hmac_sha256(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    );
    encode(&mac, Alphabet::Standard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_value_computed_with_pythons_hmac() {
        // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(
        //   b"s3cr3t", b"alice" + b"client123", hashlib.sha256).digest()).decode())'
        assert_eq!(
            secret_hash("s3cr3t", "alice", "client123"),
            "kOPeHzvKtscBvBM4zlIffwOT074cplXWBq9MCfoDa4k="
        );
    }
}
