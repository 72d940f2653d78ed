//! How the callers of one [`SessionClient`](super::SessionClient) share a refresh: those who
//! find one under way wait for the shared state's generation to move on, which the refresh's
//! guard does when its outcome is in, or when it is dropped before (then the session stops
//! waiting for it). The verifier's JWKS fetch is shared the same way.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::shared::Shared;
use crate::lock::Lock;

/// Ends a refresh whose future was dropped before its outcome: the session stops waiting
/// for it, and those who wait are woken to ask again.
pub(super) struct Abandon<'a> {
    pub(super) shared: &'a Lock<Shared>,
    pub(super) ticket: u64,
    pub(super) done: bool,
}

impl Abandon<'_> {
    /// The refresh's outcome is in: wake those who wait for it.
    pub(super) fn end(&mut self) {
        if !self.done {
            self.done = true;
            let mut s = self.shared.lock();
            s.generation = s.generation.wrapping_add(1);
            core::mem::take(&mut s.waiters)
                .into_iter()
                .for_each(Waker::wake);
        }
    }
}

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.shared.lock().session.abandon(self.ticket);
            self.end();
        }
    }
}

/// Resolves when the refresh under way ends (the generation moves on).
pub(super) struct RefreshDone<'a> {
    pub(super) shared: &'a Lock<Shared>,
    pub(super) generation: u64,
}

impl Future for RefreshDone<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.shared.lock();
        if s.generation != self.generation {
            Poll::Ready(())
        } else {
            if !s.waiters.iter().any(|w| w.will_wake(cx.waker())) {
                s.waiters.push(cx.waker().clone());
            }
            Poll::Pending
        }
    }
}
