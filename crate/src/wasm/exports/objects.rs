//! The objects the driver holds handles to: clients (their [`Requests`]), verifiers (a
//! [`Verifier`] on the driver's clock, and the verifications waiting for WebCrypto), SRP
//! sessions, user sessions. Kept in the mailbox's state, so that a call borrows one thing.

use crate::prelude::*;

use core::cell::Cell;

use super::errors::platform_error;
use crate::api::Requests;
use crate::error::Error;
use crate::json::{self, Object};
use crate::platform::HttpResponse;
use crate::session::Session;
use crate::srp::SrpClient;
use crate::verify::Verifier;

/// Every object the driver holds a handle to.
pub(super) struct Objects {
    pub(super) clients: Handles<Requests>,
    pub(super) verifiers: Handles<VerifierCore>,
    pub(super) srp: Handles<SrpClient>,
    pub(super) sessions: Handles<SessionCore>,
}

impl Objects {
    pub(super) const fn new() -> Objects {
        Objects {
            clients: Handles::new(),
            verifiers: Handles::new(),
            srp: Handles::new(),
            sessions: Handles::new(),
        }
    }
}

/// Objects by handle: position + 1, never reused, so a stale handle finds nothing rather
/// than another object. Boxed, so a freed slot costs a word.
pub(super) struct Handles<T>(Vec<Option<alloc::boxed::Box<T>>>);

impl<T> Handles<T> {
    pub(super) const fn new() -> Handles<T> {
        Handles(Vec::new())
    }

    /// Keeps `value`; its handle, as text.
    pub(super) fn add(&mut self, value: T) -> String {
        self.0.push(Some(alloc::boxed::Box::new(value)));
        json::itoa(self.0.len() as i64)
    }

    pub(super) fn get(&mut self, handle: u32) -> Result<&mut T, String> {
        let at = (handle as usize).wrapping_sub(1);
        match self.0.get_mut(at) {
            Some(Some(value)) => Ok(value),
            _ => Err(platform_error("no such object (freed?)")),
        }
    }

    /// Takes the object out: its handle then names nothing.
    pub(super) fn take(&mut self, handle: u32) -> Result<T, String> {
        match self
            .0
            .get_mut((handle as usize).wrapping_sub(1))
            .and_then(Option::take)
        {
            Some(value) => Ok(*value),
            None => Err(platform_error("no such object (freed?)")),
        }
    }

    pub(super) fn free(&mut self, handle: u32) {
        if let Some(slot) = self.0.get_mut((handle as usize).wrapping_sub(1)) {
            *slot = None;
        }
    }
}

/// The verifier's host in the package. The driver fetches, imports keys and runs WebCrypto,
/// so only the clock is used here, set by the driver for each check; a prepared key is the
/// index of a `CryptoKey` in the driver's list.
pub(super) struct Driver {
    pub(super) now: Cell<f64>,
}

impl crate::platform::Platform for Driver {
    type Key = u32;

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Err(Error::Platform("the driver fetches".into()))
    }

    async fn get(&self, _: &str) -> Result<HttpResponse, Error> {
        Err(Error::Platform("the driver fetches".into()))
    }

    fn now(&self) -> f64 {
        self.now.get()
    }

    async fn import_rsa_key(&self, _: &[u8], _: &[u8]) -> Result<u32, String> {
        Err("the driver imports keys".into())
    }

    async fn verify_rs256(&self, _: &u32, _: &[u8], _: &[u8]) -> Result<bool, String> {
        Err("the driver runs WebCrypto".into())
    }
}

/// A session and the app client it is for (its calls are `session.rs`'s).
pub(super) struct SessionCore {
    pub(super) session: Session,
    pub(super) client_id: String,
}

pub(super) struct VerifierCore {
    pub(super) inner: Verifier<Driver>,
    /// Verifications waiting for WebCrypto's verdict, by the id the driver gave (per
    /// verifier: ids of two verifiers may be equal). A handful at a time: a list.
    pub(super) waiting: Vec<(u32, Waiting)>,
}

/// A token whose signature WebCrypto is checking: what it checks (read from here: the inbox
/// is reused by the next call), the claims, parsed, and their JSON.
pub(super) struct Waiting {
    pub(super) signed: alloc::boxed::Box<[u8]>,
    pub(super) signature: Vec<u8>,
    pub(super) payload: Object,
    pub(super) json: String,
}
