//! The lock of the verifier's cache and of the session client's state: `std`'s mutex where
//! threads may share them (a server), and in the `no_std` JS package, which runs on one
//! thread, a `RefCell`.

#[cfg(feature = "std")]
mod imp {
    pub(crate) struct Lock<T>(std::sync::Mutex<T>);
    pub(crate) type Guard<'a, T> = std::sync::MutexGuard<'a, T>;

    impl<T> Lock<T> {
        pub(crate) const fn new(value: T) -> Lock<T> {
            Lock(std::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> Guard<'_, T> {
            // The cache holds no invariant a panic midway could break. // invariant
            self.0.lock().unwrap_or_else(|p| p.into_inner())
        }
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use core::cell::{RefCell, RefMut};

    pub(crate) struct Lock<T>(RefCell<T>);
    pub(crate) type Guard<'a, T> = RefMut<'a, T>;

    impl<T> Lock<T> {
        pub(crate) const fn new(value: T) -> Lock<T> {
            Lock(RefCell::new(value))
        }

        /// Callers never hold the guard across another `lock` (with a mutex that would be a
        /// deadlock), so the borrow is always free. // invariant
        /// Were it not, the module stops (a trap), as a panic would: `borrow_mut`'s own panic
        /// would link `core::fmt` for its message, which nobody reads here.
        pub(crate) fn lock(&self) -> Guard<'_, T> {
            match self.0.try_borrow_mut() {
                Ok(guard) => guard,
                // Without `std` this is the JS package's wasm32 core (see lib.rs).
                Err(_) => core::arch::wasm32::unreachable(),
            }
        }
    }
}

pub(crate) use imp::{Guard, Lock};
