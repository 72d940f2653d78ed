//! SRP's client side (`SrpSession`, and the SRP worker, which speaks this mailbox too), and the
//! package's small functions: SECRET_HASH, the SRP timestamp, a token's unverified claims.

use crate::prelude::*;

use super::errors::{err, invalid_input, verify_err};
use super::mailbox::{call, free, text};
use super::options::Args;
use crate::api;
use crate::error::Error;
use crate::srp::SrpClient;

/// A session whose secret is the inbox's random bytes (`SrpClient::SECRET_BYTES` of them,
/// from `crypto.getRandomValues`). Replies `handle \n SRP_A` (hex).
#[export_name = "cw_srp_new"]
pub extern "C" fn srp_new() -> u32 {
    call(|inbox, o| {
        if inbox.len() != SrpClient::SECRET_BYTES {
            return Err(err(Error::Platform("SRP needs 48 random bytes".into())));
        }
        let session = SrpClient::with_secret(inbox).map_err(|e| err(e.into()))?;
        let a = session.public_hex();
        let handle = o.srp.add(session);
        Ok(concat(&[&handle, "\n", &a]))
    })
}

/// PASSWORD_CLAIM_SIGNATURE, the inbox being the JSON list `[pool name, password, challenge
/// parameters (SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP), timestamp]`. The session's one
/// claim: it is taken out (and its secret wiped), so a second claim is a PlatformError, as
/// any use of a freed object is.
#[export_name = "cw_srp_claim"]
pub extern "C" fn srp_claim(session: u32) -> u32 {
    call(|inbox, o| {
        let s = o.srp.take(session).map_err(|_| {
            err(Error::Platform(
                "this SrpSession has made its claim (or was freed): start a new one".into(),
            ))
        })?;
        let names = &["pool name", "password", "challenge parameters", "timestamp"];
        let a = Args::read(text(inbox)?, names)?;
        let p = a.pairs(2)?;
        let get = |k: &str| {
            api::lookup(&p, k).ok_or_else(|| invalid_input(&["challenge parameters lack ", k]))
        };
        let challenge = crate::srp::PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: get("USER_ID_FOR_SRP")?,
        };
        s.password_claim(a.str(0)?, a.str(1)?, &challenge, a.str(3)?)
            .map_err(|e| err(e.into()))
    })
}

/// Forgets a session.
#[export_name = "cw_srp_free"]
pub extern "C" fn srp_free(session: u32) {
    free(|o| o.srp.free(session));
}

/// Builds SRP's tables (a few milliseconds) now, so the first sign-in does not pay for them.
#[export_name = "cw_precompute_srp"]
pub extern "C" fn precompute_srp() {
    crate::srp::precompute();
}

/// The TIMESTAMP of a password claim for a time in milliseconds since the epoch.
#[export_name = "cw_srp_timestamp"]
pub extern "C" fn srp_timestamp(epoch_ms: f64) -> u32 {
    call(|_, _| Ok(crate::srp::timestamp((epoch_ms.max(0.0) / 1000.0) as u64)))
}

/// `SECRET_HASH` for the inbox's JSON list `[client secret, username, client id]`:
/// base64(HMAC-SHA256(clientSecret, username + clientId)).
#[export_name = "cw_secret_hash"]
pub extern "C" fn secret_hash() -> u32 {
    call(|inbox, _| {
        let a = Args::read(text(inbox)?, &["client secret", "username", "client id"])?;
        Ok(crate::secret_hash(a.str(0)?, a.str(1)?, a.str(2)?))
    })
}

/// The claims (JSON) of the token in the inbox WITHOUT verification: for display, never for
/// decisions.
#[export_name = "cw_decode_jwt"]
pub extern "C" fn decode_jwt() -> u32 {
    call(|inbox, _| crate::verify::decode_unverified_json(text(inbox)?).map_err(|e| verify_err(&e)))
}
