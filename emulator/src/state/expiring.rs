//! Maps whose entries expire, swept as new ones come in.

use std::collections::HashMap;

/// What an [`Expiring`] map holds: a value that may be forgotten after a time.
pub trait Expires {
    /// Epoch seconds on the emulator's clock after which the value is of no use.
    fn expires(&self) -> f64;
}

/// A map whose values expire, swept of them on insert once it has doubled since its last
/// sweep: a sweep costs the map's length, paid for by as many inserts, so each insert costs
/// O(1) amortized and the map holds at most twice what is live (or [`Expiring::FLOOR`]).
/// Lookups still check the expiry themselves: a value may be found after its time.
pub struct Expiring<V> {
    map: HashMap<String, V>,
    /// The length at which the next insert sweeps first.
    sweep_at: usize,
}

impl<V> Default for Expiring<V> {
    fn default() -> Self {
        Expiring {
            map: HashMap::new(),
            sweep_at: Self::FLOOR,
        }
    }
}

impl<V> Expiring<V> {
    /// Below this length the map is never swept (a sweep would save next to nothing).
    pub const FLOOR: usize = 64;
}

impl<V: Expires> Expiring<V> {
    pub fn insert(&mut self, key: String, value: V, now: f64) {
        if self.map.len() >= self.sweep_at {
            self.map.retain(|_, v| v.expires() > now);
            self.sweep_at = (2 * self.map.len()).max(Self::FLOOR);
        }
        self.map.insert(key, value);
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.map.get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.map.get_mut(key)
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.map.remove(key)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Every value, expired or not.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.map.values_mut()
    }
}
