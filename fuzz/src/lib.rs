//! What the fuzz targets share: a strict reference JSON reader built on serde_json
//! (`reference`), and the token target's fixture (`fixture`: a test key, tokens it signed, a
//! platform serving its JWKS).

pub mod fixture;
pub mod reference;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future whose work is done without waiting (the fixture's platform never waits).
pub fn now_or_never<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("a future waited, but nothing here ever does"),
    }
}
