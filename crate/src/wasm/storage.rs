//! The browser's storages for a [`SessionClient`](crate::session::SessionClient):
//! `localStorage` (the session outlives the tab) and `sessionStorage` (it ends with the tab).
//! Both can be read by any script of the origin: see the README on what storing a refresh
//! token in a page means.

use web_sys::Storage;

use crate::error::Error;
use crate::prelude::*;
use crate::session::SessionStorage;

/// `localStorage` or `sessionStorage`, of the page's window.
pub struct BrowserStorage(Storage);

impl BrowserStorage {
    /// The window's `localStorage`.
    pub fn local() -> Result<BrowserStorage, Error> {
        let window = web_sys::window().ok_or_else(no_window)?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(BrowserStorage(storage)),
            _ => Err(unavailable("localStorage")),
        }
    }

    /// The window's `sessionStorage`.
    pub fn session() -> Result<BrowserStorage, Error> {
        let window = web_sys::window().ok_or_else(no_window)?;
        match window.session_storage() {
            Ok(Some(storage)) => Ok(BrowserStorage(storage)),
            _ => Err(unavailable("sessionStorage")),
        }
    }
}

fn no_window() -> Error {
    Error::Platform("platform: no window (a worker has no localStorage or sessionStorage)".into())
}

fn unavailable(which: &str) -> Error {
    Error::Platform(crate::concat(&[
        "platform: ",
        which,
        " is not available (disabled, or a sandboxed frame)",
    ]))
}

/// A storage that refuses a write (its quota full, a private mode) keeps what it had (the
/// previous record, or none): the session goes on in memory, and a reload reads that.
impl SessionStorage for BrowserStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) {
        let _ = self.0.set_item(key, value);
    }

    fn remove(&self, key: &str) {
        let _ = self.0.remove_item(key);
    }
}
