//! Everything that exists only in the browser: the [`WebPlatform`] (the Rust API's fetch,
//! clock and WebCrypto) and the wasm half of the JS package. Kept apart so the core builds
//! and tests natively.

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
mod bindings;
mod platform;
#[cfg(not(feature = "rust-rsa"))]
mod webcrypto;

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
pub use bindings::{
    decode_jwt, precompute_srp, secret_hash, srp_timestamp, wasm_module, JsClientCore, JsSrpCore,
    JsVerifierCore,
};
pub use platform::WebPlatform;

/// A `static` for this module's state: wasm32 without the atomics feature runs one thread
/// per instance (a Web Worker is another instance with its own memory), so a `RefCell` in a
/// `static` is what `thread_local!` would be, and works without `std`.
#[cfg(not(feature = "rust-rsa"))]
pub(crate) struct Local<T>(core::cell::RefCell<T>);

// SAFETY: no threads (see above; the build refuses the atomics feature).
#[cfg(not(feature = "rust-rsa"))]
unsafe impl<T> Sync for Local<T> {}

#[cfg(target_feature = "atomics")]
compile_error!("cognito-wasm's wasm state assumes one thread per instance (no `atomics`)");

#[cfg(not(feature = "rust-rsa"))]
impl<T> Local<T> {
    pub(crate) const fn new(value: T) -> Local<T> {
        Local(core::cell::RefCell::new(value))
    }

    /// `f` on the value. `f` must not reach the same `Local` again (none does: they are
    /// private to one function or module). // invariant
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.0.borrow_mut())
    }
}

/// Without `std`, a panic (a bug: input and network faults are errors, never panics) stops
/// the module at once: no message is formatted (what formatting code remains is what panic
/// sites still reference; see docs/benchmarks.md).
#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "js", not(feature = "std")))]
mod allocator;

#[cfg(all(feature = "js", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: allocator::Classes = allocator::Classes::new();
