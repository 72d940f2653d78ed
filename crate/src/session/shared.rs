//! What the callers of one [`SessionClient`](super::SessionClient) share, behind its lock:
//! the session, its tokens' claims, and the waiting for a refresh (`waiting.rs`).

use std::task::Waker;

use super::Session;
use crate::prelude::*;
use crate::verify::Claims;

/// The client's state.
pub(super) struct Shared {
    pub(super) session: Session,
    /// The claims of the session's tokens, by the ID token they were verified from.
    pub(super) claims: Option<(String, Claims, Claims)>,
    /// Whether the stored session has been read.
    pub(super) restored: bool,
    /// Bumped when a refresh ends; callers that wait for one register here.
    pub(super) generation: u64,
    pub(super) waiters: Vec<Waker>,
}
