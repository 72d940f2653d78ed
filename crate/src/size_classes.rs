//! The logic of the npm package's allocator (`wasm/allocator.rs`): power-of-two size classes,
//! one free list each, carved from a linear memory that grows by pages at its end.
//!
//! Generic over that memory so it can be tested natively: the wasm build instantiates it over
//! `memory.grow` and raw pointers (a zero-sized type: the same code as when it was written
//! against them, measured on the package's wasm), the tests and the `allocator` fuzz target
//! over [`Arena`], a simulated memory backed by a `Vec`, where a wrong address is an index
//! out of bounds instead of memory corruption.
//!
//! A block never changes class and memory is never given back, so the high-water mark stays:
//! about twice what was live at once, in each class, plus the gaps that aligning a large block
//! leaves (never reused).

/// The smallest class, 2^4 = 16 bytes: room for the free list's link on any target.
const MIN_CLASS: u32 = 4;
/// Classes 2^4 to 2^31: wasm32's memory is 4 GiB at most, so a block aligned to 2^31 is the
/// largest that can ever fit.
pub(crate) const CLASSES: usize = 28;
/// A wasm page.
pub(crate) const PAGE: usize = 65536;

/// A linear memory: byte addresses from 0, growing by [`PAGE`]s at its end, as wasm's.
///
/// # Safety
///
/// `read_link`, `write_link` and `copy` are given only addresses of blocks the allocator has
/// carved from memory that `grow` added, never address 0 (the module's data lies below what
/// it grows), each block at least 16 bytes long and aligned to its size.
pub(crate) unsafe trait Memory {
    /// Adds `pages` pages; the size before, in pages, or `None` if the memory cannot grow.
    fn grow(&mut self, pages: usize) -> Option<usize>;

    /// The free-list link stored in the first word of the free block at `addr`.
    ///
    /// # Safety
    ///
    /// `addr` is a block of this memory (see the trait) that nobody else uses.
    unsafe fn read_link(&self, addr: usize) -> usize;

    /// Stores `link` in the first word of the block at `addr`.
    ///
    /// # Safety
    ///
    /// As [`Memory::read_link`].
    unsafe fn write_link(&mut self, addr: usize, link: usize);

    /// Copies `len` bytes from the block at `from` to the block at `to`.
    ///
    /// # Safety
    ///
    /// Two distinct blocks of this memory, each at least `len` bytes long.
    unsafe fn copy(&mut self, from: usize, to: usize, len: usize);
}

/// The allocator's state over a memory `M`. Address 0 is "none" (null).
pub(crate) struct SizeClasses<M> {
    /// Each class's free blocks, linked through their first word; 0 ends a list.
    free: [usize; CLASSES],
    /// Fresh memory: `next..end` has never been handed out.
    next: usize,
    end: usize,
    memory: M,
}

/// The class of a request: its size and alignment rounded up to a power of two. Blocks are
/// aligned to their own size, so any alignment up to the size is met. `None` beyond the
/// largest class.
fn class(size: usize, align: usize) -> Option<usize> {
    let size = size.max(align).max(1 << MIN_CLASS);
    let bits = size.checked_next_power_of_two()?.trailing_zeros();
    let index = (bits - MIN_CLASS) as usize;
    (index < CLASSES).then_some(index)
}

impl<M: Memory> SizeClasses<M> {
    /// An allocator that has handed nothing out yet.
    pub(crate) const fn new(memory: M) -> SizeClasses<M> {
        SizeClasses {
            free: [0; CLASSES],
            next: 0,
            end: 0,
            memory,
        }
    }

    /// The memory underneath (the tests read and write blocks through it).
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn memory(&mut self) -> &mut M {
        &mut self.memory
    }

    /// A block of at least `size` bytes aligned to `align` (a power of two); `None` when the
    /// request is beyond the largest class or the memory cannot grow.
    pub(crate) fn alloc(&mut self, size: usize, align: usize) -> Option<usize> {
        let c = class(size, align)?;
        let head = *self.free.get(c)?;
        if head != 0 {
            // SAFETY: only `free` puts blocks on this list: each is a block of this class
            // that nobody uses, whose first word links the next one.
            *self.free.get_mut(c)? = unsafe { self.memory.read_link(head) };
            return Some(head);
        }
        let size = 1usize << (c as u32 + MIN_CLASS);
        loop {
            let start = self.next.checked_add(size - 1)? & !(size - 1);
            let stop = start.checked_add(size)?;
            if stop <= self.end {
                self.next = stop;
                return Some(start);
            }
            let pages = (stop - self.end).div_ceil(PAGE);
            let before = self.memory.grow(pages)?;
            let end = before.checked_add(pages)?.checked_mul(PAGE)?;
            // Not contiguous with what we had (the first grow: the stack, static data and
            // whatever the module's initial memory holds lie below): start afresh there.
            if self.end != before * PAGE {
                self.next = before * PAGE;
            }
            self.end = end;
        }
    }

    /// Puts a block back on its class's list.
    ///
    /// # Safety
    ///
    /// `addr` came from [`SizeClasses::alloc`] (or `realloc`) with this `size` and `align`
    /// and is not used any more.
    pub(crate) unsafe fn free(&mut self, addr: usize, size: usize, align: usize) {
        let Some(c) = class(size, align) else {
            return;
        };
        let Some(head) = self.free.get_mut(c) else {
            return;
        };
        // SAFETY: the caller's: a block of this class, at least 16 bytes and aligned, so its
        // first word can hold the link.
        unsafe { self.memory.write_link(addr, *head) };
        *head = addr;
    }

    /// The block at `addr` resized to `new_size`: the same block if the class is the same,
    /// else a new one with the contents copied (up to the smaller size) and the old one freed.
    /// `None` (the old block untouched) if no new block can be had.
    ///
    /// # Safety
    ///
    /// As [`SizeClasses::free`].
    pub(crate) unsafe fn realloc(
        &mut self,
        addr: usize,
        size: usize,
        align: usize,
        new_size: usize,
    ) -> Option<usize> {
        if class(size, align) == class(new_size, align) {
            return Some(addr);
        }
        let moved = self.alloc(new_size, align)?;
        // SAFETY: the caller's for `addr`; `moved` is a fresh block of at least `new_size`.
        unsafe {
            self.memory.copy(addr, moved, size.min(new_size));
            self.free(addr, size, align);
        }
        Some(moved)
    }
}

/// A simulated linear memory for tests: a `Vec` of bytes, `initial` pages holding "the
/// module" (never handed out, as the stack and data are in wasm), growing up to `max` pages.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) struct Arena {
    pub(crate) bytes: alloc::vec::Vec<u8>,
    max_pages: usize,
}

#[cfg(any(test, feature = "fuzzing"))]
impl Arena {
    /// `initial` pages (at least one: address 0 must never be handed out), up to `max`.
    pub(crate) fn new(initial: usize, max_pages: usize) -> Arena {
        Arena {
            bytes: alloc::vec![0; initial.max(1) * PAGE],
            max_pages,
        }
    }
}

// SAFETY: every access is a checked index into the `Vec`: a wrong address panics, which is
// what a test or the fuzzer must see (hence indexing, denied in the library's own code).
#[cfg(any(test, feature = "fuzzing"))]
#[allow(clippy::indexing_slicing)]
unsafe impl Memory for Arena {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        let before = self.bytes.len() / PAGE;
        let after = before.checked_add(pages).filter(|&p| p <= self.max_pages)?;
        self.bytes.resize(after * PAGE, 0);
        Some(before)
    }

    unsafe fn read_link(&self, addr: usize) -> usize {
        const WORD: usize = core::mem::size_of::<usize>();
        let mut word = [0; WORD];
        word.copy_from_slice(&self.bytes[addr..addr + WORD]);
        usize::from_le_bytes(word)
    }

    unsafe fn write_link(&mut self, addr: usize, link: usize) {
        let word = link.to_le_bytes();
        self.bytes[addr..addr + word.len()].copy_from_slice(&word);
    }

    unsafe fn copy(&mut self, from: usize, to: usize, len: usize) {
        self.bytes.copy_within(from..from + len, to);
    }
}

#[cfg(test)]
#[path = "size_classes_tests.rs"]
mod tests;
