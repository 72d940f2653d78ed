//! Exponentiation in the group: the constant-time paths for secret exponents (fixed windows,
//! the fixed-base comb, every table entry read by a masked scan) and the variable-time ones
//! for public exponents (the emulator's server side, the group's own constants).

use alloc::vec;
use alloc::vec::Vec;

use crate::{group, mask_of, row, Group, Lazy, Limbs, LIMBS};

impl Group {
    /// `base^exp`, `base` and result in Montgomery form, in constant time with respect to `exp`
    /// and `base`: for secret exponents. `exp` (little-endian limbs) must be below `2^bits`;
    /// `bits` is public (a fixed size, not the exponent's length: leading zeros cost the same
    /// as any other bits). Fixed [`WINDOW`]-bit windows from the top: the same squarings and
    /// multiplications whatever the bits, one multiplication per window, by a table entry read
    /// with a masked scan of the whole table ([`select`]), `base^0` included.
    pub fn pow(&self, base: &Limbs, exp: &[u32], bits: usize) -> Limbs {
        // table[i] = base^i
        let mut table = [self.one; 1 << WINDOW];
        table[1] = *base;
        // Below 2N throughout (see `mul_lazy`), reduced once at the end.
        for i in 2..table.len() {
            table[i] = if i % 2 == 0 {
                self.sqr_lazy(&table[i / 2])
            } else {
                self.mul_lazy(&table[i - 1], base)
            };
        }
        let windows = bits.div_ceil(WINDOW).max(1);
        let mut acc = select(&table, bits_at(exp, (windows - 1) * WINDOW, WINDOW));
        for w in (0..windows - 1).rev() {
            for _ in 0..WINDOW {
                acc = self.sqr_lazy(&acc);
            }
            acc = self.mul_lazy(&acc, &select(&table, bits_at(exp, w * WINDOW, WINDOW)));
        }
        self.reduce(acc)
    }

    /// `base^exp` in variable time (sliding windows, which branch and index on the exponent's
    /// bits): only for public exponents (the emulator's server side, tests). Never for a
    /// client's secret; see [`Group::pow`]. `base` and result in Montgomery form; `exp`
    /// little-endian limbs of any length. Sliding 5-bit windows over odd powers: 16 table
    /// entries, one squaring per bit and one multiplication per window (about one per six bits).
    pub fn pow_vartime(&self, base: &Limbs, exp: &[u32]) -> Limbs {
        const W: usize = 5;
        // odd[i] = base^(2i+1)
        let mut odd = [*base; 1 << (W - 1)];
        let square = self.sqr(base);
        for i in 1..odd.len() {
            odd[i] = self.mul(&odd[i - 1], &square);
        }
        let mut acc = self.one;
        let mut started = false;
        let mut i = bit_len(exp);
        while i > 0 {
            if bits_at(exp, i - 1, 1) == 0 {
                acc = self.sqr(&acc);
                i -= 1;
                continue;
            }
            // The longest window of at most W bits ending in a 1, from bit i-1 down.
            let low = (i.saturating_sub(W)..i)
                .find(|&b| bits_at(exp, b, 1) == 1)
                .unwrap_or(i - 1);
            let width = i - low;
            let d = bits_at(exp, low, width);
            if started {
                for _ in 0..width {
                    acc = self.sqr(&acc);
                }
                acc = self.mul(&acc, &odd[d >> 1]);
            } else {
                acc = odd[d >> 1];
                started = true;
            }
            i = low;
        }
        acc
    }

    /// `2^exp` in Montgomery form, in constant time with respect to `exp`: for secret
    /// exponents. Exponents of up to [`COMB_BITS`] bits by their limb count (the secret `a`,
    /// the hash `x`) use the fixed-base comb: all [`COMB_COLUMNS`] columns, each a squaring and
    /// a multiplication by the entry [`select`] reads with a masked scan of the whole table
    /// (entry 0 is one); longer ones go through [`Group::pow`] with base 2 over
    /// `32·exp.len()` bits.
    pub fn pow2(&self, exp: &[u32]) -> Limbs {
        if exp.len() * 32 > COMB_BITS {
            let two = self.add(&self.one, &self.one);
            return self.pow(&two, exp, exp.len() * 32);
        }
        // Rows beyond the exponent's length are zero whatever its value: the scan skips the
        // entries that use them (a 256-bit `x` reads 32 entries, not 128).
        let rows = (exp.len() * 32).div_ceil(COMB_COLUMNS);
        let table = &comb_table()[..1 << rows];
        let mut acc = self.one;
        for column in (0..COMB_COLUMNS).rev() {
            acc = self.sqr_lazy(&acc);
            let index = (0..rows).fold(0, |i, row| {
                i | (bits_at(exp, column + row * COMB_COLUMNS, 1) << row)
            });
            acc = self.mul_lazy(&acc, &select(table, index));
        }
        self.reduce(acc)
    }

    /// `2^exp` in Montgomery form in variable time: the comb skipping zero columns, and
    /// square-and-double beyond it. Only for public exponents (the emulator's server side, the
    /// group's own constants); see [`Group::pow2`].
    pub fn pow2_vartime(&self, exp: &[u32]) -> Limbs {
        if bit_len(exp) > COMB_BITS {
            return self.pow2_by_doubling(exp);
        }
        let table = comb_table();
        let mut acc = self.one;
        for column in (0..COMB_COLUMNS).rev() {
            acc = self.sqr(&acc);
            let index = (0..COMB_ROWS).fold(0, |i, row| {
                i | (bits_at(exp, column + row * COMB_COLUMNS, 1) << row)
            });
            if index != 0 {
                acc = self.mul(&acc, &table[index]);
            }
        }
        acc
    }

    /// `2^exp` by square-and-double: each 1 bit is a doubling (a shift and at most one
    /// subtraction), as g = 2, instead of a multiplication.
    pub(crate) fn pow2_by_doubling(&self, exp: &[u32]) -> Limbs {
        let mut acc = self.one;
        for i in (0..bit_len(exp)).rev() {
            acc = self.sqr(&acc);
            if bits_at(exp, i, 1) == 1 {
                acc = self.add(&acc, &acc);
            }
        }
        acc
    }
}

/// Bits per window of [`Group::pow`]: for the 513-bit exponent of S, 102 multiplications
/// and a table of 32 entries (30 more), against 128 and 14 with 4 bits, 85 and 62 with 6.
const WINDOW: usize = 5;

/// Lim-Lee fixed-base comb for g = 2: the exponent's bits are laid out in [`COMB_ROWS`] rows of
/// [`COMB_COLUMNS`]; `table[i]` is the product of `2^(2^(row·COLUMNS))` over the rows set in `i`.
/// 7 x 55 covers the 384-bit `a`. Constant time makes every column a squaring, a multiplication
/// and a scan of the whole table, which costs about a multiplication with 256 entries: measured
/// natively, one `pow2` of a 384-bit exponent takes 1.06 ms with 7 rows, 1.10 with 8 x 48,
/// 1.17 with 6 x 64, 1.29 with 5 x 77 and 1.57 with 4 x 96.
const COMB_ROWS: usize = 7;
const COMB_COLUMNS: usize = 55;
pub const COMB_BITS: usize = COMB_ROWS * COMB_COLUMNS;

/// The comb's 128 entries (56 KiB), built once on first use: 330 squarings and 120
/// multiplications, repaid after two or three sign-ins, and cognito-wasm's `srp::precompute` lets
/// an app build it before the user presses "Sign in".
pub fn comb_table() -> &'static [Limbs] {
    static TABLE: Lazy<Vec<Limbs>> = Lazy::new();
    TABLE.get_or_init(|| {
        let g = group();
        let mut rows = [g.one; COMB_ROWS];
        let mut power = g.add(&g.one, &g.one);
        for (row, slot) in rows.iter_mut().enumerate() {
            if row > 0 {
                for _ in 0..COMB_COLUMNS {
                    power = g.sqr(&power);
                }
            }
            *slot = power;
        }
        let mut table = vec![g.one; 1 << COMB_ROWS];
        for i in 1..table.len() {
            let low = i.trailing_zeros() as usize;
            let rest = i & (i - 1);
            table[i] = if rest == 0 {
                rows[low]
            } else {
                g.mul(&table[rest], &rows[low])
            };
        }
        table
    })
}

/// `table[index]` in constant time with respect to `index`: reads every entry and keeps the
/// one whose mask is all ones, so neither the branches nor the memory accessed depend on
/// `index` (an indexed read would touch the cache line of its entry alone). `index` must be
/// below `table.len()` (else the result is zero).
pub fn select(table: &[Limbs], index: usize) -> Limbs {
    let mut out = [0u32; LIMBS];
    // By chunks of at most 256 entries, their masks made first.
    for (c, chunk) in table.chunks(256).enumerate() {
        let mut masks = [0u32; 256];
        for (i, m) in masks.iter_mut().enumerate() {
            // Zero iff this is the entry asked for; its top bit, or its negation's, otherwise.
            let diff = ((c * 256 + i) ^ index) as u32;
            *m = mask_of((diff | diff.wrapping_neg()) >> 31 == 0);
        }
        row::or_masked(&mut out, chunk, &masks);
    }
    out
}

/// `width` (at most 32) bits of `x` starting at bit `at`, zero beyond its end.
fn bits_at(x: &[u32], at: usize, width: usize) -> usize {
    let limb = |i: usize| x.get(i).copied().unwrap_or(0) as u64;
    let pair = limb(at / 32) | (limb(at / 32 + 1) << 32);
    ((pair >> (at % 32)) & ((1u64 << width) - 1)) as usize
}

fn bit_len(x: &[u32]) -> usize {
    x.iter()
        .rposition(|&l| l != 0)
        .map_or(0, |i| i * 32 + 32 - x[i].leading_zeros() as usize)
}
