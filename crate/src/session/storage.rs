//! Where a [`SessionClient`](super::SessionClient) keeps its session between runs.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::prelude::*;

/// Where a session is kept between runs: the browser's `localStorage`, a file, a keychain.
/// What is stored is a refresh token: a credential (see the README on what storing one in
/// a page means).
pub trait SessionStorage {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Option<String>;
    /// Stores `value` under `key`.
    fn set(&self, key: &str, value: &str);
    /// Removes `key`.
    fn remove(&self, key: &str);
}

/// A shared storage (one store for several clients, or for a test that reloads).
impl<S: SessionStorage + ?Sized> SessionStorage for std::sync::Arc<S> {
    fn get(&self, key: &str) -> Option<String> {
        (**self).get(key)
    }

    fn set(&self, key: &str, value: &str) {
        (**self).set(key, value)
    }

    fn remove(&self, key: &str) {
        (**self).remove(key)
    }
}

/// Storage that lasts as long as the process: nothing outlives the page (the safe choice).
#[derive(Default)]
pub struct MemoryStorage(Mutex<HashMap<String, String>>);

impl core::fmt::Debug for MemoryStorage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // What it holds are credentials: only how many.
        f.debug_struct("MemoryStorage")
            .field("entries", &self.map().len())
            .finish()
    }
}

impl MemoryStorage {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // A map of strings holds no invariant a panic midway could break. // invariant
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SessionStorage for MemoryStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.map().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) {
        self.map().insert(key.to_owned(), value.to_owned());
    }

    fn remove(&self, key: &str) {
        self.map().remove(key);
    }
}
