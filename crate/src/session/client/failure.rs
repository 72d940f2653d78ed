//! What a failed refresh or verification means for the session ([`RefreshFailure`]), with its
//! error: what `SessionClient`'s parts (`verified`, `stored`) give its calls (`mod.rs`), in a
//! file of its own so that the calls need not import the parts that use it.

use crate::error::Error;
use crate::session::{RefreshFailure, SessionError};
use crate::verify::VerifyError;

/// A failed refresh or verification: what it means for the session, and the error.
#[derive(Debug, Clone)]
pub(super) struct RefreshError(pub(super) RefreshFailure, pub(super) SessionError);

impl From<RefreshError> for SessionError {
    fn from(e: RefreshError) -> SessionError {
        e.1
    }
}

impl From<Error> for SessionError {
    fn from(e: Error) -> SessionError {
        SessionError::Client(e)
    }
}

impl From<VerifyError> for SessionError {
    fn from(e: VerifyError) -> SessionError {
        SessionError::Verify(e)
    }
}
