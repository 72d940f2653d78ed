//! How errors reach the driver: `name \n status \n message`, which it turns into an `Error`
//! whose `name` is Cognito's exception name or ours.

use crate::prelude::*;

use crate::error::Error;
use crate::json;
use crate::session::SessionError;
use crate::verify::VerifyError;

/// An error for the driver: `name \n status \n message`.
fn encode(name: &str, status: Option<u16>, message: &str) -> String {
    let mut out = String::from(name);
    out.push('\n');
    if let Some(s) = status {
        out.push_str(&json::itoa(s.into()));
    }
    out.push('\n');
    out.push_str(message);
    out
}

/// A client error for the driver.
pub(super) fn err(e: Error) -> String {
    match &e {
        Error::Cognito {
            message, status, ..
        } if !message.is_empty() => encode(e.name(), Some(*status), message),
        Error::Cognito { status, .. } => encode(e.name(), Some(*status), &e.message()),
        other => encode(other.name(), None, &other.message()),
    }
}

/// A session error for the driver: the client's and the verifier's as theirs are.
pub(super) fn session_err(e: SessionError) -> String {
    match e {
        SessionError::Client(e) => err(e),
        SessionError::Verify(e) => verify_err(&e),
        other => encode(other.name(), None, &other.message()),
    }
}

/// A verifier error for the driver.
pub(super) fn verify_err(e: &VerifyError) -> String {
    encode(e.name(), None, &e.message())
}

/// PlatformError: the driver or the module is at fault, not the input. Out of line: every
/// export reaches it, and none needs its code inlined.
#[inline(never)]
pub(super) fn platform_error(message: &str) -> String {
    err(Error::Platform(message.into()))
}

/// InvalidInputError, its message `parts` joined.
pub(super) fn invalid_input(parts: &[&str]) -> String {
    err(Error::InvalidInput(concat(parts)))
}
