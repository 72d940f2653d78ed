//! The npm package's allocator (crate/src/size_classes.rs, as wasm/allocator.rs runs it) over
//! a simulated memory of 256 pages: allocations, reallocations and frees in the order the
//! input says. Every block is aligned, inside the memory and above the "module's" first page,
//! overlaps no other live block, and keeps its contents (each block is filled with its own
//! byte, checked before it is freed or moved, and after a move up to the smaller size).
//! Impossible requests (beyond the largest class, or more than the memory holds) are null.
#![no_main]

use arbitrary::Arbitrary;
use cognito_wasm::fuzzing::Allocator;
use libfuzzer_sys::fuzz_target;

const MAX_PAGES: usize = 256;

#[derive(Arbitrary, Debug)]
enum Size {
    Small(u8),
    Medium(u16),
    /// Up to 1 MiB.
    Large(u32),
    /// Anything: mostly impossible.
    Huge(usize),
}

impl Size {
    fn bytes(&self) -> usize {
        match *self {
            Size::Small(n) => n.into(),
            Size::Medium(n) => n.into(),
            Size::Large(n) => n as usize % (1 << 20),
            Size::Huge(n) => n,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    Alloc { size: Size, align_shift: u8 },
    Free { which: u8 },
    Realloc { which: u8, size: Size },
}

struct Block {
    addr: usize,
    size: usize,
    align: usize,
    byte: u8,
}

fn check(a: &mut Allocator, b: &Block) {
    let bytes = &a.memory()[b.addr..b.addr + b.size];
    assert!(
        bytes.iter().all(|&x| x == b.byte),
        "block at {:#x} overwritten",
        b.addr
    );
}

fn place(a: &mut Allocator, live: &[Block], addr: usize, size: usize, align: usize) {
    assert_eq!(addr % align, 0, "{addr:#x} for align {align}");
    assert!(addr >= Allocator::PAGE, "{addr:#x} is the module's memory");
    assert!(
        addr + size <= a.memory().len(),
        "{addr:#x}+{size} beyond the memory"
    );
    for other in live {
        let apart = addr + size.max(1) <= other.addr || other.addr + other.size.max(1) <= addr;
        assert!(
            apart,
            "{addr:#x}+{size} overlaps {:#x}+{}",
            other.addr, other.size
        );
    }
}

/// The smallest class a request can take, if any: its size and alignment rounded up.
fn class(size: usize, align: usize) -> Option<usize> {
    size.max(align)
        .max(16)
        .checked_next_power_of_two()
        .filter(|&c| c <= 1 << 31)
}

fuzz_target!(|ops: Vec<Op>| {
    let mut a = Allocator::new(MAX_PAGES);
    let mut live: Vec<Block> = Vec::new();
    let mut used = false;
    for (n, op) in ops.iter().enumerate() {
        let byte = n as u8 | 1;
        match op {
            Op::Alloc { size, align_shift } => {
                let (size, align) = (size.bytes(), 1usize << (align_shift % 40));
                let Some(addr) = a.alloc(size, align) else {
                    // Null only for what cannot fit in the memory at all, or once some of it
                    // is used (memory is never given back, so what fits later is not known).
                    let fits =
                        class(size, align).is_some_and(|c| c <= MAX_PAGES * Allocator::PAGE / 4);
                    assert!(!fits || used, "null for {size} bytes aligned to {align}");
                    continue;
                };
                place(&mut a, &live, addr, size, align);
                used = true;
                a.memory()[addr..addr + size].fill(byte);
                live.push(Block {
                    addr,
                    size,
                    align,
                    byte,
                });
            }
            Op::Free { which } => {
                if live.is_empty() {
                    continue;
                }
                let b = live.swap_remove(usize::from(*which) % live.len());
                check(&mut a, &b);
                a.free(b.addr, b.size, b.align);
            }
            Op::Realloc { which, size } => {
                if live.is_empty() {
                    continue;
                }
                let b = live.swap_remove(usize::from(*which) % live.len());
                check(&mut a, &b);
                let new_size = size.bytes();
                // GlobalAlloc's contract: the new size rounded up to the alignment fits an isize.
                if new_size
                    .checked_add(b.align - 1)
                    .is_none_or(|s| s > isize::MAX as usize)
                {
                    live.push(b);
                    continue;
                }
                match a.realloc(b.addr, b.size, b.align, new_size) {
                    None => {
                        check(&mut a, &b);
                        live.push(b);
                    }
                    Some(addr) => {
                        used = true;
                        place(&mut a, &live, addr, new_size, b.align);
                        let kept = b.size.min(new_size);
                        let moved = &a.memory()[addr..addr + kept];
                        assert!(
                            moved.iter().all(|&x| x == b.byte),
                            "realloc lost the contents"
                        );
                        a.memory()[addr..addr + new_size].fill(byte);
                        live.push(Block {
                            addr,
                            size: new_size,
                            align: b.align,
                            byte,
                        });
                    }
                }
            }
        }
    }
    for b in &live {
        check(&mut a, b);
    }
});
