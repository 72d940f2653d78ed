//! Everything that exists only in the browser: the [`WebPlatform`] (the Rust API's fetch,
//! clock and WebCrypto, through js-sys and web-sys) and the wasm half of the JS package (which
//! uses neither: its driver calls fetch and WebCrypto). Kept apart so the core builds and
//! tests natively.

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
mod exports;
#[cfg(feature = "std")]
mod js_text;
#[cfg(feature = "std")]
mod platform;
#[cfg(feature = "std")]
mod storage;
#[cfg(all(feature = "std", not(feature = "rust-rsa")))]
mod webcrypto;

#[cfg(feature = "std")]
pub use platform::WebPlatform;
#[cfg(feature = "std")]
pub use storage::BrowserStorage;

// The allocator's state is a `static` without a lock: one thread per instance.
#[cfg(target_feature = "atomics")]
compile_error!("cognito-wasm's wasm state assumes one thread per instance (no `atomics`)");

/// Without `std`, a panic (a bug: input and network faults are errors, never panics) stops
/// the module at once: no message is formatted (the formatting code the panic sites still
/// name is dropped by wasm-opt, as nothing calls it; see docs/benchmarks.md).
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
