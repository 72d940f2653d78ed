//! Arithmetic modulo the 3072-bit prime of RFC 3526 (group 15), the only group Cognito's SRP uses.
//!
//! Fixed-size Montgomery arithmetic in radix 2^28: 110 limbs of 28 bits (stored in 112 `u32`s)
//! and 64-bit column accumulators. wasm32 has a native `i64.mul` but no 64x64->128 multiply, so
//! limb products must fit in 64 bits; with 28-bit limbs they stay below 2^56, a 64-bit column
//! holds 256 of them, and a whole Montgomery multiplication (at most 221 products per column)
//! adds up without a single carry in its inner loop. Carry-free rows are what wasm SIMD128
//! computes well: `i64x2.extmul_low_i32x4_u` makes two 32x32->64 products per instruction, and
//! the inner loop adds four products to each of 8 columns per step (see [`row`]). Measured in
//! V8 (Node 20), a multiplication took about 6.5 us and a squaring 6, against 21 and 17 with
//! the previous 96 limbs of 32 bits and a carry after every product (4.5 and 4.0 us since the
//! lazy reduction and the inlined row loop; docs/benchmarks.md). General bignum crates cost
//! more bytes and, measured in wasm before this crate was written, many times the time
//! (ARCHITECTURE.md, SRP's decision).
//!
//! Values are `Limbs`: little-endian 28-bit limbs, always normalised (each `< 2^28`) and, between
//! public calls, fully reduced (`< N`; inside an exponentiation they stay below `2N`, see
//! [`Group::mul_lazy`]). Whether a value is in Montgomery form (`x·R mod N`, `R = 2^3080`) is the
//! caller's bookkeeping; every public operation of [`Group`] says which form it takes and
//! returns. Exponents are plain little-endian `u32` limbs (see [`limbs_of`]).

//!
//! A crate of its own for one reason: it is compiled with `opt-level = 3` while the rest of
//! cognito-wasm is compiled for size (`"z"`), which per-crate profiles allow and LTO keeps
//! (measured: SRP as fast as before, the package 5 KB gzip smaller). It is cognito-wasm's
//! internals, not an API: only `cognito-wasm`'s `srp` module calls it.
#![allow(rustdoc::private_intra_doc_links)]
// No panic reachable (the brief's rule), enforced: no unwrap, expect or panic outside tests.
// Indexing stays: every index here runs over fixed-size limb arrays with loop bounds that are
// constants of the group (LIMBS, the window and comb sizes), and checked access in these
// loops would cost the speed this crate exists for.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![no_std]

extern crate alloc;

mod exp;
mod row;

pub use exp::{comb_table, select, COMB_BITS};
#[cfg(any(not(target_arch = "wasm32"), test))]
extern crate std;

use alloc::vec;
use alloc::vec::Vec;

/// A value made on first use and kept: `OnceLock` where threads may share it (natively: the
/// emulator), and in wasm, one thread per instance and possibly no `std`, a `OnceCell`.
#[cfg(not(target_arch = "wasm32"))]
type Lazy<T> = std::sync::OnceLock<T>;

#[cfg(target_arch = "wasm32")]
struct Lazy<T>(core::cell::OnceCell<T>);

// SAFETY: wasm32 without the atomics feature has no threads (a worker is another instance
// with its own memory), so the cell is never shared between threads.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<T> Sync for Lazy<T> {}

#[cfg(target_arch = "wasm32")]
impl<T> Lazy<T> {
    const fn new() -> Lazy<T> {
        Lazy(core::cell::OnceCell::new())
    }

    fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(f)
    }
}

/// Bits per limb.
const LIMB_BITS: u32 = 28;
const MASK: u32 = (1 << LIMB_BITS) - 1;
/// Limbs that hold a value: 110 x 28 = 3080 bits, the fewest that cover 3072. Also the number
/// of Montgomery reduction steps, hence `R = 2^(28·110)`.
const USED: usize = 110;
/// Limbs stored: [`USED`] rounded up to a multiple of 8, the SIMD loop's step; the top two are
/// always zero.
pub const LIMBS: usize = 112;
pub type Limbs = [u32; LIMBS];
/// Accumulator columns of a double-width product.
const COLUMNS: usize = 2 * LIMBS;

/// N, big-endian hex, exactly as printed in RFC 3526 section 4.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879",
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B",
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836",
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804",
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6",
    "955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226",
    "1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The modulus and the constants Montgomery multiplication needs, computed once.
///
/// There is no `-N^-1 mod 2^28` factor: N's low 64 bits are all ones, so `N ≡ -1` and
/// `-N^-1 ≡ 1 (mod 2^28)`, and each reduction step's multiplier is simply the low limb.
pub struct Group {
    n: Limbs,
    /// N one limb up (`N·2^28`, truncated to [`LIMBS`]), for the second row of [`Group::rows`].
    n_up: Limbs,
    /// `R^2 mod N`: multiplying by it converts into Montgomery form.
    r2: Limbs,
    /// `R mod N`: one, in Montgomery form.
    one: Limbs,
}

pub fn group() -> &'static Group {
    static GROUP: Lazy<Group> = Lazy::new();
    GROUP.get_or_init(Group::new)
}

impl Group {
    fn new() -> Group {
        let mut n = [0u32; LIMBS];
        // N_HEX is a constant of exactly 768 hex digits: 110 chunks of 7 digits (28 bits), the
        // last one shorter. // invariant
        for (i, chunk) in N_HEX.as_bytes().rchunks(7).enumerate() {
            n[i] = chunk
                .iter()
                .fold(0u32, |acc, &c| (acc << 4) | hex_val(c) as u32);
        }
        // 2^3072 mod N = 2^3072 - N, since 2^3071 < N < 2^3072; eight doublings make it R mod N.
        let mut one = [0u32; LIMBS];
        one[3072 / 28] = 1 << (3072 % 28);
        sub_assign(&mut one, &n);
        let mut g = Group {
            n,
            n_up: limb_up(&n),
            r2: one,
            one,
        };
        for _ in 0..USED * LIMB_BITS as usize - 3072 {
            g.one = g.add(&g.one, &g.one);
        }
        // R^2 mod N is R in Montgomery form, i.e. 2^3080 in Montgomery form: a dozen squarings
        // and doublings instead of 3080 modular doublings.
        g.r2 = g.pow2_by_doubling(&[USED as u32 * LIMB_BITS]);
        g
    }

    /// `a·b·R^-1 mod N`. Both inputs `< 2N` (any 3072-bit value is); the result is `< N`.
    pub fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        self.reduce(self.mul_lazy(a, b))
    }

    /// [`Group::mul`] without the final subtraction: inputs and result `< 2N` (almost
    /// Montgomery multiplication). `R > 4N`, so `(a·b + m·N)/R < N·(4N/R + 1) < 2N`: the
    /// exponentiations keep their values below 2N this way and reduce once at the end, which
    /// saves a subtraction and a masked selection over every limb per operation.
    ///
    /// Operand scanning with the reduction interleaved and delayed carries: row `i` adds
    /// `a·b[i] + m·N` into the 64-bit columns `t[i..]`, where `m` makes column `i` a multiple of
    /// 2^28; that column is then final, and only its carry moves up. Rows go by pairs (see
    /// [`Group::rows`]). A column receives at most 110 + 110 products below 2^56 plus one carry
    /// below 2^37 (these bounds hold for any normalised limbs, whatever the values): less than
    /// 2^64.
    ///
    /// Compiled with SIMD128 in wasm, as [`Group::sqr_lazy`], for one reason: a function with
    /// a target feature is inlined only into functions that have it, and the row loop
    /// inlined saves 55 calls per operation (4% faster SRP in Node, 298 B gzip more). Never
    /// inlined itself: one copy of each, whatever calls it.
    #[inline(never)]
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    fn mul_lazy(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let a_up = limb_up(a);
        let mut t = [0u64; COLUMNS];
        for i in (0..USED / 2).map(|pair| 2 * pair) {
            self.rows(&mut t, i, [a, &a_up], [b[i], b[i + 1]], 0);
        }
        self.finish(&t)
    }

    /// `a²·R^-1 mod N` (`a < 2N`, the result `< N`): each cross product once, doubled,
    /// interleaved with the reduction as in [`Group::mul_lazy`]. Row `i` multiplies `a[i]` by `x`: zero below `i`, `a[i]` at `i` (the
    /// square) and `2a[j]` above (both cross products `a[i]·a[j]` and `a[j]·a[i]` at once); so
    /// columns up to `i` are final after row `i`, as in `mul`, and the columns where `x` is
    /// zero only get the reduction: three quarters of a multiplication's products. Rows go by
    /// pairs, as in `mul`, `x` for the second one a limb up. A column
    /// receives at most 55 doubled products (below 2^57), one square and 110 reduction products
    /// (below 2^56) and a carry: less than 2^64.
    pub fn sqr(&self, a: &Limbs) -> Limbs {
        self.reduce(self.sqr_lazy(a))
    }

    /// [`Group::sqr`] without the final subtraction, as [`Group::mul_lazy`].
    #[inline(never)]
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    fn sqr_lazy(&self, a: &Limbs) -> Limbs {
        // `x` for row i, and for row i + 1 one limb up, as `rows` takes them; each pair of rows
        // updates the few limbs that change.
        let mut x = [0u32; LIMBS];
        for (x, &a) in x.iter_mut().zip(a) {
            *x = a << 1;
        }
        let mut x_up = limb_up(&x);
        let mut t = [0u64; COLUMNS];
        for i in (0..USED / 2).map(|pair| 2 * pair) {
            x[i.saturating_sub(2)..i].fill(0);
            x[i] = a[i];
            x_up[i..i + 2].fill(0);
            x_up[i + 2] = a[i + 1];
            // Below `i` both rows are zero: whole vectors of them get only the reduction.
            self.rows(&mut t, i, [&x, &x_up], [a[i], a[i + 1]], i - i % 8);
        }
        self.finish(&t)
    }

    /// Rows `i` and `i + 1` of [`Group::mul`] or [`Group::sqr`]: `t[i..] += x[0]·s[0] + m0·N +
    /// x[1]·s[1] + m1·N·2^28`, where `x[1]` is already one limb up, and `m0`, `m1` make columns
    /// `i` and `i + 1` multiples of 2^28 (computed here first from the few products that reach
    /// those columns). Two rows per pass halve the loads and stores of the columns. `x[0]` and
    /// `x[1]` must be zero below `split`, a multiple of 8.
    #[inline]
    fn rows(&self, t: &mut [u64; COLUMNS], i: usize, x: [&Limbs; 2], s: [u32; 2], split: usize) {
        let (s0, s1) = (s[0] as u64, s[1] as u64);
        let column = t[i] + x[0][0] as u64 * s0;
        let m0 = column as u32 & MASK;
        let carry = (column + self.n[0] as u64 * m0 as u64) >> LIMB_BITS;
        let column = t[i + 1] + x[0][1] as u64 * s0 + self.n[1] as u64 * m0 as u64;
        let m1 = (column + x[1][1] as u64 * s1 + carry) as u32 & MASK;
        row::mul_add(
            &mut t[i..i + LIMBS],
            [x[0], &self.n, x[1], &self.n_up],
            [s[0], m0, s[1], m1],
            split,
        );
        t[i + 1] += t[i] >> LIMB_BITS;
        t[i + 2] += t[i + 1] >> LIMB_BITS;
    }

    /// The columns `t[USED..]` of a reduced product (`< 2N`) as normalised limbs (`< 2N`).
    fn finish(&self, t: &[u64; COLUMNS]) -> Limbs {
        let mut r = [0u32; LIMBS];
        let mut carry = 0u64;
        for (r, &c) in r.iter_mut().zip(&t[USED..]) {
            // A column is below 2^64 - 2^37 (see `mul`), the carry below 2^37.
            let s = c + carry;
            *r = s as u32 & MASK;
            carry = s >> LIMB_BITS;
        }
        // The value is below 2N < 2^3073, well inside 112 limbs: nothing is left in `carry`.
        r
    }

    pub fn mont_in(&self, x: &Limbs) -> Limbs {
        self.mul(x, &self.r2)
    }

    pub fn mont_out(&self, x: &Limbs) -> Limbs {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        self.mul(x, &one)
    }

    pub fn modulus(&self) -> &Limbs {
        &self.n
    }

    /// `a + b mod N` (either form, both `< N`).
    pub fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut r = *a;
        add_assign(&mut r, b);
        self.reduce(r)
    }

    /// `a - b mod N` (either form, both `< N`), without a branch on the borrow.
    pub fn sub(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut r = *a;
        let mask = mask_of(sub_assign(&mut r, b));
        let mut n = self.n;
        for l in &mut n {
            *l &= mask;
        }
        add_assign(&mut r, &n);
        r
    }

    /// Reduces a value below `2N` (any value of 3072 bits is) modulo N: Montgomery
    /// multiplication's final subtraction. Always subtracts, then keeps the difference or the
    /// value by a mask: no branch on the value.
    #[inline(never)]
    pub fn reduce(&self, x: Limbs) -> Limbs {
        let mut d = x;
        // A borrow means x < N: keep x.
        let keep = mask_of(sub_assign(&mut d, &self.n));
        let mut r = [0u32; LIMBS];
        for ((r, &x), &d) in r.iter_mut().zip(&x).zip(&d) {
            *r = (x & keep) | (d & !keep);
        }
        r
    }
}

/// `x·2^28`, truncated to [`LIMBS`]: `x` one limb up (its top limb is zero in every use).
fn limb_up(x: &Limbs) -> Limbs {
    let mut up = [0u32; LIMBS];
    up[1..].copy_from_slice(&x[..LIMBS - 1]);
    up
}

/// All ones if `flag`, else zero, through [`black_box`](core::hint::black_box) so that the
/// compiler cannot turn the masked selection it feeds back into a branch on `flag` (as
/// `subtle`'s `Choice` does).
#[inline(always)]
fn mask_of(flag: bool) -> u32 {
    0u32.wrapping_sub(core::hint::black_box(flag as u32))
}

fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

pub fn is_zero(x: &[u32]) -> bool {
    x.iter().all(|&l| l == 0)
}

/// `a -= b` (normalised limbs, modulo 2^(28·112)); returns the borrow out.
fn sub_assign(a: &mut Limbs, b: &Limbs) -> bool {
    let mut borrow = 0u32;
    for (a, &b) in a.iter_mut().zip(b) {
        // Both below 2^28: a negative difference wraps to 2^32 - ..., whose top bit is set.
        let d = a.wrapping_sub(b).wrapping_sub(borrow);
        *a = d & MASK;
        borrow = d >> 31;
    }
    borrow != 0
}

/// `a += b` (normalised limbs, modulo 2^(28·112): values below 2N never reach the top).
fn add_assign(a: &mut Limbs, b: &Limbs) {
    let mut carry = 0u32;
    for (a, &b) in a.iter_mut().zip(b) {
        let s = *a + b + carry;
        *a = s & MASK;
        carry = s >> LIMB_BITS;
    }
}

/// Big-endian bytes (any leading zeros) to limbs; `None` if the value needs more than 3072 bits.
pub fn from_be_bytes(bytes: &[u8]) -> Option<Limbs> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    if bytes.len() > 3072 / 8 {
        return None;
    }
    let mut out = [0u32; LIMBS];
    let (mut acc, mut bits, mut limbs) = (0u64, 0, out.iter_mut());
    for &b in bytes.iter().rev() {
        acc |= (b as u64) << bits;
        bits += 8;
        if bits >= LIMB_BITS {
            // 3072 bits fill fewer than 110 limbs, so there is always a next one.
            if let Some(l) = limbs.next() {
                *l = acc as u32 & MASK;
            }
            acc >>= LIMB_BITS;
            bits -= LIMB_BITS;
        }
    }
    if let Some(l) = limbs.next() {
        *l = acc as u32;
    }
    Some(out)
}

/// Big-endian bytes of any length to little-endian `u32` limbs (for exponents).
pub fn limbs_of(bytes: &[u8]) -> Vec<u32> {
    bytes
        .rchunks(4)
        .map(|chunk| chunk.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32))
        .collect()
}

/// Minimal big-endian bytes of a value (empty for zero).
pub fn to_be_bytes(x: &Limbs) -> Vec<u8> {
    let mut out = Vec::with_capacity(LIMBS * 4);
    let (mut acc, mut bits) = (0u64, 0);
    for &l in x {
        acc |= (l as u64) << bits;
        bits += LIMB_BITS;
        while bits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    }
    while out.last() == Some(&0) {
        out.pop();
    }
    out.reverse();
    out
}

/// `a + u·x` for exponents (plain integers, no reduction: the exponent of S is used as is),
/// in constant time: `max(a.len(), u.len() + x.len()) + 1` limbs, whatever the values.
pub fn mul_add(a: &[u32], u: &[u32], x: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; a.len().max(u.len() + x.len()) + 1];
    for (i, &ui) in u.iter().enumerate() {
        let mut c = 0u64;
        for (j, &xj) in x.iter().enumerate() {
            let s = out[i + j] as u64 + ui as u64 * xj as u64 + c;
            out[i + j] = s as u32;
            c = s >> 32;
        }
        // The carry goes all the way up, whatever it is: no loop that stops when it is zero.
        for o in &mut out[i + x.len()..] {
            let s = *o as u64 + c;
            *o = s as u32;
            c = s >> 32;
        }
    }
    let mut c = 0u64;
    for (i, o) in out.iter_mut().enumerate() {
        let s = *o as u64 + a.get(i).copied().unwrap_or(0) as u64 + c;
        *o = s as u32;
        c = s >> 32;
    }
    out
}

#[cfg(test)]
mod dudect;

#[cfg(test)]
mod tests;
