//! A user's password as the emulator keeps it (a salt and an SRP verifier, never the
//! password), and the proof of a password against it, made without the state's lock.

use crate::error::ApiResult;
use crate::ids;
use crate::state::{Pool, User};

/// What proving a password against a user needs, copied out of the state so that the proof
/// (the verifier `g^x`, a modular exponentiation) runs without the lock; we keep no password.
pub(super) struct Credentials {
    pub(super) srp_name: String,
    pub(super) username: String,
    salt: Vec<u8>,
    verifier: Vec<u8>,
}

impl Credentials {
    pub(super) fn of(pool: &Pool, user: &User) -> Credentials {
        Credentials {
            srp_name: pool.srp_name().to_owned(),
            username: user.username.clone(),
            salt: user.salt.clone(),
            verifier: user.verifier.clone(),
        }
    }

    /// Whether `password` is the one these credentials were made from.
    pub(super) fn matches(&self, password: &str) -> bool {
        let v = cognito_wasm::srp::verifier(&self.srp_name, &self.username, password, &self.salt);
        v == self.verifier
    }

    /// Whether the user still has these credentials: a proof made without the lock holds
    /// only if no password change (or a new user of the same name) came in between.
    pub(super) fn current(&self, pool: &Pool, user: &User) -> bool {
        self.srp_name == pool.srp_name()
            && self.username == user.username
            && self.salt == user.salt
            && self.verifier == user.verifier
    }
}

/// A new salt and verifier for a password (a modular exponentiation: call it without the
/// lock). `srp_name` is the pool's ([`Pool::srp_name`]), `username` the user's as stored.
pub(super) fn new_verifier(
    srp_name: &str,
    username: &str,
    password: &str,
) -> ApiResult<(Vec<u8>, Vec<u8>)> {
    let salt = ids::random_bytes::<16>()?.to_vec();
    let v = cognito_wasm::srp::verifier(srp_name, username, password, &salt);
    Ok((salt, v))
}
