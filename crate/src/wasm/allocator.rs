//! The JS package's allocator: power-of-two size classes, one free list each, carved from
//! memory the module grows. 0.6 KB of wasm where Rust's default (dlmalloc) is 8 KB.
//!
//! Enough for this library: its allocations are small and short-lived (JSON, strings, a
//! token's parts) plus SRP's tables, made once. A block never changes class and memory is
//! never given back to the page, so the high-water mark stays: about twice what was live at
//! once, in each class, plus the gaps that aligning a large block leaves (never reused).
//! Only the npm package's core (built without `std`) has it: Rust wasm apps keep their own.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// Classes 2^4 (16 bytes) to 2^31.
const MIN_CLASS: u32 = 4;
const CLASSES: usize = 28;
const PAGE: usize = 65536;

pub struct Classes {
    inner: UnsafeCell<State>,
}

struct State {
    /// Each class's free blocks, linked through their first word.
    free: [*mut u8; CLASSES],
    /// Fresh memory: `next..end` has never been handed out.
    next: usize,
    end: usize,
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread per instance
// (a Web Worker is another instance with its own memory), so the state is never shared.
unsafe impl Sync for Classes {}

impl Classes {
    pub const fn new() -> Classes {
        Classes {
            inner: UnsafeCell::new(State {
                free: [null_mut(); CLASSES],
                next: 0,
                end: 0,
            }),
        }
    }
}

/// The class of a layout: its size and alignment rounded up to a power of two. Blocks are
/// aligned to their own size, so any alignment up to the size is met.
fn class(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let bits = size.checked_next_power_of_two()?.trailing_zeros();
    let index = (bits - MIN_CLASS) as usize;
    (index < CLASSES).then_some(index)
}

unsafe impl GlobalAlloc for Classes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            return null_mut();
        };
        // SAFETY: single-threaded (see `Sync`), and no allocation happens in here.
        let state = unsafe { &mut *self.inner.get() };
        let head = state.free[c];
        if !head.is_null() {
            // SAFETY: a free block of this class, whose first word links the next one.
            state.free[c] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        let size = 1usize << (c as u32 + MIN_CLASS);
        loop {
            let Some(start) = state.next.checked_add(size - 1).map(|v| v & !(size - 1)) else {
                return null_mut();
            };
            let Some(stop) = start.checked_add(size) else {
                return null_mut();
            };
            if stop <= state.end {
                state.next = stop;
                return start as *mut u8;
            }
            let pages = (stop - state.end).div_ceil(PAGE);
            let before = core::arch::wasm32::memory_grow(0, pages);
            let Some(end) = before.checked_add(pages).and_then(|p| p.checked_mul(PAGE)) else {
                return null_mut(); // usize::MAX: the grow failed
            };
            // Not contiguous with what we had (the first grow: the stack, static data and
            // whatever the module's initial memory holds lie below): start afresh there.
            if state.end != before * PAGE {
                state.next = before * PAGE;
            }
            state.end = end;
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class(layout) else {
            return;
        };
        // SAFETY: single-threaded; `ptr` is a block of this class that nobody uses any more,
        // at least 16 bytes long and aligned, so its first word can hold the link.
        let state = unsafe { &mut *self.inner.get() };
        unsafe { *(ptr as *mut *mut u8) = state.free[c] };
        state.free[c] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's guarantees, passed on.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(layout) == class(new) {
            return ptr;
        }
        let moved = unsafe { self.alloc(new) };
        if !moved.is_null() {
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        moved
    }
}
