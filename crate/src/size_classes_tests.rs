//! The package allocator's logic over a simulated memory: what `GlobalAlloc` promises
//! (alignment, no overlap, contents kept by `realloc`, null when it cannot) and what this
//! allocator adds (its classes, reuse, growth).

use super::*;
use crate::prelude::*;

/// An allocator over `initial` pages of "module" and room to grow to `max` pages.
fn allocator(initial: usize, max: usize) -> SizeClasses<Arena> {
    SizeClasses::new(Arena::new(initial, max))
}

fn fill(a: &mut SizeClasses<Arena>, addr: usize, len: usize, byte: u8) {
    a.memory().bytes[addr..addr + len].fill(byte);
}

fn holds(a: &mut SizeClasses<Arena>, addr: usize, len: usize, byte: u8) -> bool {
    a.memory().bytes[addr..addr + len]
        .iter()
        .all(|&b| b == byte)
}

#[test]
fn every_alignment_is_met() {
    // 2^0 to 2^20 (1 MiB): each alignment, with sizes below, at and above it.
    let mut a = allocator(1, 1 << 10);
    for shift in 0..=20 {
        let align = 1usize << shift;
        for size in [1, align / 2, align, align + 1, 3 * align] {
            let addr = a.alloc(size, align).expect("room");
            assert_eq!(addr % align, 0, "size {size} align {align}: {addr:#x}");
            assert!(addr >= PAGE, "handed out the module's memory: {addr:#x}");
        }
    }
}

#[test]
fn every_size_lands_in_its_class() {
    // A block of each size is aligned to its class (blocks are aligned to their size), and
    // the block right after it in fresh memory starts a class's size further on.
    for c in 0..20u32 {
        let class_size = 16usize << c;
        for size in [class_size / 2 + 1, class_size - 1, class_size] {
            let mut a = allocator(1, 1 << 10);
            let first = a.alloc(size, 1).expect("room");
            let second = a.alloc(size, 1).expect("room");
            assert_eq!(first % class_size, 0, "size {size}");
            assert_eq!(second - first, class_size, "size {size}");
        }
    }
    // Sizes up to 16 share the smallest class.
    let mut a = allocator(1, 2);
    let first = a.alloc(0, 1).expect("room");
    let second = a.alloc(16, 8).expect("room");
    assert_eq!(second - first, 16);
}

#[test]
fn freed_blocks_are_reused_last_in_first_out_within_their_class() {
    let mut a = allocator(1, 4);
    let x = a.alloc(100, 8).expect("room");
    let y = a.alloc(100, 8).expect("room");
    let small = a.alloc(10, 1).expect("room");
    // SAFETY: blocks from `alloc` with these layouts, no longer used.
    unsafe {
        a.free(x, 100, 8);
        a.free(y, 100, 8);
    }
    // Another class does not take them.
    let other = a.alloc(300, 8).expect("room");
    assert!(other != x && other != y);
    // Any size of the class does, the last freed first.
    assert_eq!(a.alloc(65, 1), Some(y));
    assert_eq!(a.alloc(128, 4), Some(x));
    assert!(![x, y, small].contains(&a.alloc(128, 4).expect("room")));
}

#[test]
fn a_memory_that_cannot_grow_gives_null_and_the_allocator_stays_usable() {
    // One page of module, one to grow.
    let mut a = allocator(1, 2);
    let big = a.alloc(PAGE, 1).expect("one page fits");
    assert_eq!(a.alloc(16, 1), None, "the memory is full");
    assert_eq!(a.alloc(PAGE, 1), None);
    // SAFETY: from `alloc` with this layout.
    unsafe { a.free(big, PAGE, 1) };
    assert_eq!(
        a.alloc(PAGE, 1),
        Some(big),
        "a freed block is still handed out"
    );
}

#[test]
fn growth_skips_memory_it_did_not_grow_contiguously() {
    // Someone else grew the memory between two of our growths: we start again at our new
    // pages, not over theirs.
    let mut a = allocator(1, 8);
    let first = a.alloc(PAGE, 1).expect("room");
    assert_eq!(first, PAGE);
    a.memory().grow(1).expect("room");
    let second = a.alloc(PAGE, 1).expect("room");
    assert_eq!(second, 3 * PAGE, "page 2 is not ours");
}

#[test]
fn impossible_sizes_and_alignments_are_null() {
    let mut a = allocator(1, 64);
    let mut cases = std::vec![
        (usize::MAX, 1),
        (isize::MAX as usize, 1),
        ((1 << 31) + 1, 1),
        // The largest class, in a memory too small for it.
        (1 << 31, 1),
    ];
    // Alignments past a wasm32 address, where usize has room for them (natively).
    cases.extend(
        [32, 63]
            .into_iter()
            .filter_map(|b| 1usize.checked_shl(b).map(|x| (1, x))),
    );
    for (size, align) in cases {
        assert_eq!(
            a.alloc(size, align),
            None,
            "size {size:#x} align {align:#x}"
        );
    }
    // And nothing was used up by them.
    assert_eq!(a.alloc(16, 16), Some(PAGE));
}

#[test]
fn realloc_keeps_the_contents() {
    let mut a = allocator(1, 64);
    let addr = a.alloc(20, 4).expect("room");
    fill(&mut a, addr, 20, 0xa5);
    // SAFETY (every call below): blocks from `alloc`/`realloc` with the layouts given, the
    // old ones not used after.
    // Within the class: the same block.
    let same = unsafe { a.realloc(addr, 20, 4, 32) }.expect("room");
    assert_eq!(same, addr);
    // Larger: moved, contents kept, the old block reused by its class.
    let grown = unsafe { a.realloc(same, 32, 4, 5000) }.expect("room");
    assert_ne!(grown, addr);
    assert!(holds(&mut a, grown, 20, 0xa5));
    assert_eq!(a.alloc(17, 1), Some(addr));
    // Smaller: moved to the small class, the first bytes kept.
    fill(&mut a, grown, 5000, 0x3c);
    let shrunk = unsafe { a.realloc(grown, 5000, 4, 10) }.expect("room");
    assert!(holds(&mut a, shrunk, 10, 0x3c));
    // Beyond any class: null, the block untouched.
    assert_eq!(unsafe { a.realloc(shrunk, 10, 4, usize::MAX / 2) }, None);
    assert!(holds(&mut a, shrunk, 10, 0x3c));
}

#[test]
fn live_blocks_never_overlap() {
    // A deterministic mix of sizes, allocated, some freed and reallocated.
    let mut a = allocator(1, 1 << 10);
    let mut live: Vec<(usize, usize)> = Vec::new();
    let mut seed = 0x2545_f491_u32;
    for i in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let size = (seed % 3000) as usize + 1;
        if i % 3 == 2 && !live.is_empty() {
            let (addr, old) = live.swap_remove(seed as usize % live.len());
            // SAFETY: a live block with this layout, forgotten here.
            unsafe { a.free(addr, old, 1) };
        } else {
            live.push((a.alloc(size, 1).expect("room"), size));
        }
    }
    live.sort();
    for pair in live.windows(2) {
        assert!(pair[0].0 + pair[0].1 <= pair[1].0, "{pair:?} overlap");
    }
}
