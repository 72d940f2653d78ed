//! Arithmetic modulo the 3072-bit prime of RFC 3526 (group 15), the only group Cognito's SRP uses.
//!
//! Fixed-size Montgomery arithmetic with 32-bit limbs and 64-bit products: wasm32 has native
//! `i64.mul` but no 64x64->128 multiply, so 32-bit limbs are the fastest portable choice there,
//! and a fixed size means no allocation and no length checks in the inner loops. General bignum
//! crates cost more bytes and, measured in wasm, several times the time (see
//! `shared/reference/srp-performance.md`).
//!
//! Values are `Limbs`: little-endian `u32` limbs, always fully reduced (`< N`). Whether a value
//! is in Montgomery form (`x·R mod N`, `R = 2^3072`) is the caller's bookkeeping; every public
//! operation of [`Group`] says which form it takes and returns.

use std::sync::OnceLock;

pub(crate) const LIMBS: usize = 96;
pub(crate) type Limbs = [u32; LIMBS];

/// N, big-endian hex, exactly as printed in RFC 3526 section 4.
pub(crate) const N_HEX: &str = concat!(
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
pub(crate) struct Group {
    n: Limbs,
    /// `-N^-1 mod 2^32`.
    n0: u32,
    /// `R^2 mod N`: multiplying by it converts into Montgomery form.
    r2: Limbs,
    /// `R mod N`: one, in Montgomery form.
    one: Limbs,
}

pub(crate) fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(Group::new)
}

impl Group {
    fn new() -> Group {
        let mut n = [0u32; LIMBS];
        // N_HEX is a constant of exactly 768 hex digits, so every chunk parses. // invariant
        for (i, chunk) in N_HEX.as_bytes().rchunks(8).enumerate() {
            n[i] = chunk
                .iter()
                .fold(0u32, |acc, &c| (acc << 4) | hex_val(c) as u32);
        }
        // Newton's iteration doubles the correct low bits each step: 5 steps give 32 bits.
        let mut inv = n[0];
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        // R mod N = 2^3072 - N, since 2^3071 < N < 2^3072; that is N's two's complement.
        let mut one = [0u32; LIMBS];
        let mut carry = 1u64;
        for i in 0..LIMBS {
            let s = (!n[i]) as u64 + carry;
            one[i] = s as u32;
            carry = s >> 32;
        }
        // R^2 mod N by 3072 modular doublings of R mod N.
        let mut r2 = one;
        for _ in 0..LIMBS * 32 {
            let top = shl1(&mut r2);
            if top || !lt(&r2, &n) {
                sub_assign(&mut r2, &n);
            }
        }
        Group {
            n,
            n0: 0u32.wrapping_sub(inv),
            r2,
            one,
        }
    }

    /// `a·b·R^-1 mod N` (CIOS). Both inputs `< N`; the result is `< N`.
    pub(crate) fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let n = &self.n;
        let mut t = [0u32; LIMBS + 2];
        for &bi in b.iter() {
            let bi = bi as u64;
            let mut c = 0u64;
            for (tj, &aj) in t[..LIMBS].iter_mut().zip(a) {
                // At most (2^32-1) + (2^32-1)^2 + (2^32-1) = 2^64-1: no overflow.
                let s = *tj as u64 + aj as u64 * bi + c;
                *tj = s as u32;
                c = s >> 32;
            }
            let s = t[LIMBS] as u64 + c;
            t[LIMBS] = s as u32;
            t[LIMBS + 1] = (s >> 32) as u32;

            let m = t[0].wrapping_mul(self.n0) as u64;
            let mut c = (t[0] as u64 + m * n[0] as u64) >> 32;
            for j in 1..LIMBS {
                let s = t[j] as u64 + m * n[j] as u64 + c;
                t[j - 1] = s as u32;
                c = s >> 32;
            }
            let s = t[LIMBS] as u64 + c;
            t[LIMBS - 1] = s as u32;
            t[LIMBS] = t[LIMBS + 1] + (s >> 32) as u32;
        }
        let mut r = [0u32; LIMBS];
        r.copy_from_slice(&t[..LIMBS]);
        // The CIOS result is < 2N, so one subtraction reduces it.
        if t[LIMBS] != 0 || !lt(&r, n) {
            sub_assign(&mut r, n);
        }
        r
    }

    pub(crate) fn mont_in(&self, x: &Limbs) -> Limbs {
        self.mul(x, &self.r2)
    }

    pub(crate) fn mont_out(&self, x: &Limbs) -> Limbs {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        self.mul(x, &one)
    }

    pub(crate) fn modulus(&self) -> &Limbs {
        &self.n
    }

    /// `a²·R^-1 mod N`: the cross products once and doubled, then a separate Montgomery
    /// reduction; about three quarters of a multiplication's limb products.
    pub(crate) fn sqr(&self, a: &Limbs) -> Limbs {
        let mut t = [0u32; 2 * LIMBS];
        for i in 0..LIMBS {
            let ai = a[i] as u64;
            let mut c = 0u64;
            // Iterators over equal-length slices: no bounds checks in the hot loop.
            for (tk, &aj) in t[2 * i + 1..i + LIMBS].iter_mut().zip(&a[i + 1..]) {
                let s = *tk as u64 + ai * aj as u64 + c;
                *tk = s as u32;
                c = s >> 32;
            }
            t[i + LIMBS] = c as u32;
        }
        // Double the cross products and add the squares on the diagonal.
        let mut c = 0u64;
        for i in 0..LIMBS {
            let sq = a[i] as u64 * a[i] as u64;
            let lo = ((t[2 * i] as u64) << 1) + (sq & 0xFFFF_FFFF) + c;
            t[2 * i] = lo as u32;
            let hi = ((t[2 * i + 1] as u64) << 1) + (sq >> 32) + (lo >> 32);
            t[2 * i + 1] = hi as u32;
            c = hi >> 32;
        }
        self.redc(&mut t, c != 0)
    }

    /// Montgomery reduction of a double-width `t` (plus a top bit): `t·R^-1 mod N`.
    fn redc(&self, t: &mut [u32; 2 * LIMBS], mut top: bool) -> Limbs {
        let n = &self.n;
        let mut overflow = 0u64;
        for i in 0..LIMBS {
            let m = t[i].wrapping_mul(self.n0) as u64;
            let mut c = 0u64;
            for (tk, &nj) in t[i..i + LIMBS].iter_mut().zip(n) {
                let s = *tk as u64 + m * nj as u64 + c;
                *tk = s as u32;
                c = s >> 32;
            }
            let s = t[i + LIMBS] as u64 + c + overflow;
            t[i + LIMBS] = s as u32;
            overflow = s >> 32;
        }
        top |= overflow != 0;
        let mut r = [0u32; LIMBS];
        r.copy_from_slice(&t[LIMBS..]);
        if top || !lt(&r, n) {
            sub_assign(&mut r, n);
        }
        r
    }

    /// `base^exp`, `base` and result in Montgomery form; `exp` little-endian limbs of any length.
    /// Sliding 5-bit windows over odd powers: 16 table entries, one squaring per bit and one
    /// multiplication per window (about one per six bits).
    pub(crate) fn pow(&self, base: &Limbs, exp: &[u32]) -> Limbs {
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

    /// `2^exp` in Montgomery form. Exponents of up to [`COMB_BITS`] bits (the secrets `a`, `b`
    /// and the hash `x`) use the fixed-base comb: [`COMB_COLUMNS`] squarings and as many
    /// multiplications, against one squaring per bit otherwise.
    pub(crate) fn pow2(&self, exp: &[u32]) -> Limbs {
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
    fn pow2_by_doubling(&self, exp: &[u32]) -> Limbs {
        let mut acc = self.one;
        for i in (0..bit_len(exp)).rev() {
            acc = self.sqr(&acc);
            if bits_at(exp, i, 1) == 1 {
                acc = self.add(&acc, &acc);
            }
        }
        acc
    }

    /// `a + b mod N` (either form, both `< N`).
    pub(crate) fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut r = *a;
        let carry = add_assign(&mut r, b);
        if carry || !lt(&r, &self.n) {
            sub_assign(&mut r, &self.n);
        }
        r
    }

    /// `a - b mod N` (either form, both `< N`).
    pub(crate) fn sub(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut r = *a;
        if sub_assign(&mut r, b) {
            add_assign(&mut r, &self.n);
        }
        r
    }

    /// Reduces a value below `2^3072` (hence below `2N`) modulo N.
    pub(crate) fn reduce(&self, mut x: Limbs) -> Limbs {
        if !lt(&x, &self.n) {
            sub_assign(&mut x, &self.n);
        }
        x
    }
}

/// Lim-Lee fixed-base comb for g = 2: the exponent's bits are laid out in [`COMB_ROWS`] rows of
/// [`COMB_COLUMNS`]; `table[i]` is the product of `2^(2^(row·COLUMNS))` over the rows set in `i`.
const COMB_ROWS: usize = 8;
const COMB_COLUMNS: usize = 48;
pub(crate) const COMB_BITS: usize = COMB_ROWS * COMB_COLUMNS;

/// The comb's 256 entries (96 KiB), built once on first use: about 340 squarings and 250
/// multiplications, repaid after two or three sign-ins, and [`crate::srp::precompute`] lets
/// an app build it before the user presses "Sign in".
pub(crate) fn comb_table() -> &'static [Limbs] {
    static TABLE: OnceLock<Vec<Limbs>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let g = group();
        let mut rows = [g.one; COMB_ROWS];
        let mut power = g.mont_in(&{
            let mut two = [0u32; LIMBS];
            two[0] = 2;
            two
        });
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

fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

pub(crate) fn is_zero(x: &[u32]) -> bool {
    x.iter().all(|&l| l == 0)
}

fn lt(a: &Limbs, b: &Limbs) -> bool {
    for i in (0..LIMBS).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// `a -= b`; returns the borrow out.
fn sub_assign(a: &mut Limbs, b: &Limbs) -> bool {
    let mut borrow = 0u64;
    for i in 0..LIMBS {
        let d = (a[i] as u64).wrapping_sub(b[i] as u64).wrapping_sub(borrow);
        a[i] = d as u32;
        borrow = (d >> 63) & 1;
    }
    borrow != 0
}

/// `a += b`; returns the carry out.
fn add_assign(a: &mut Limbs, b: &Limbs) -> bool {
    let mut carry = 0u64;
    for i in 0..LIMBS {
        let s = a[i] as u64 + b[i] as u64 + carry;
        a[i] = s as u32;
        carry = s >> 32;
    }
    carry != 0
}

/// `a <<= 1`; returns the bit shifted out.
fn shl1(a: &mut Limbs) -> bool {
    let mut carry = 0u32;
    for l in a.iter_mut() {
        let next = *l >> 31;
        *l = (*l << 1) | carry;
        carry = next;
    }
    carry != 0
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

/// Big-endian bytes (any leading zeros) to limbs; `None` if the value needs more than 3072 bits.
pub(crate) fn from_be_bytes(bytes: &[u8]) -> Option<Limbs> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    if bytes.len() > LIMBS * 4 {
        return None;
    }
    let mut out = [0u32; LIMBS];
    for (i, chunk) in bytes.rchunks(4).enumerate() {
        out[i] = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32);
    }
    Some(out)
}

/// Big-endian bytes of any length to little-endian limbs (for exponents).
pub(crate) fn limbs_of(bytes: &[u8]) -> Vec<u32> {
    bytes
        .rchunks(4)
        .map(|chunk| chunk.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32))
        .collect()
}

/// Minimal big-endian bytes of a value (empty for zero).
pub(crate) fn to_be_bytes(x: &[u32]) -> Vec<u8> {
    let mut out: Vec<u8> = x.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
    let start = out.iter().position(|&b| b != 0).unwrap_or(out.len());
    out.drain(..start);
    out
}

/// `a + u·x` for exponents (plain integers, no reduction: the exponent of S is used as is).
pub(crate) fn mul_add(a: &[u32], u: &[u32], x: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; a.len().max(u.len() + x.len()) + 1];
    for (i, &ui) in u.iter().enumerate() {
        let mut c = 0u64;
        for (j, &xj) in x.iter().enumerate() {
            let s = out[i + j] as u64 + ui as u64 * xj as u64 + c;
            out[i + j] = s as u32;
            c = s >> 32;
        }
        let mut k = i + x.len();
        while c != 0 {
            let s = out[k] as u64 + c;
            out[k] = s as u32;
            c = s >> 32;
            k += 1;
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
mod tests {
    use super::*;

    fn small(v: u64) -> Limbs {
        let mut x = [0u32; LIMBS];
        x[0] = v as u32;
        x[1] = (v >> 32) as u32;
        x
    }

    #[test]
    fn montgomery_round_trip_and_small_products() {
        let g = group();
        let a = small(123_456_789_012);
        let b = small(987_654_321);
        let p = g.mont_out(&g.mul(&g.mont_in(&a), &g.mont_in(&b)));
        let expect = 123_456_789_012u128 * 987_654_321u128;
        assert_eq!(p[0], expect as u32);
        assert_eq!(p[1], (expect >> 32) as u32);
        assert_eq!(p[2], (expect >> 64) as u32);
        assert!(is_zero(&p[3..]));
        assert_eq!(g.mont_out(&g.mont_in(&a)), a);
    }

    #[test]
    fn fermat_little_theorem_holds() {
        // 2^(N-1) = 1 mod N for the prime N: exercises every limb of mul and pow.
        let g = group();
        let mut e = g.n;
        e[0] -= 1;
        let r = g.mont_out(&g.pow(&g.mont_in(&small(2)), &e));
        assert_eq!(r, small(1));
        // and 3^N = 3
        let r = g.mont_out(&g.pow(&g.mont_in(&small(3)), &g.n));
        assert_eq!(r, small(3));
    }

    #[test]
    fn squaring_and_powers_of_two_agree_with_multiplication() {
        let g = group();
        let mut x = g.mont_in(&small(0xDEAD_BEEF_1234_5678));
        for _ in 0..50 {
            assert_eq!(g.sqr(&x), g.mul(&x, &x));
            x = g.mul(&x, &g.mont_in(&small(0x9E37_79B9_7F4A_7C15)));
        }
        let mut top = g.n;
        top[0] -= 2;
        let top = g.mont_in(&top);
        assert_eq!(g.sqr(&top), g.mul(&top, &top));
        let e = [0x8765_4321, 0xFFFF_FFFF, 0x1, 0x8000_0000];
        assert_eq!(g.pow2(&e), g.pow(&g.mont_in(&small(2)), &e));
        assert_eq!(g.pow2(&[]), g.pow(&g.mont_in(&small(2)), &[]));
        // Both sides of the comb's limit, and its top bit.
        for e in [
            vec![u32::MAX; 12],
            vec![1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x8000_0000],
            vec![7; 13],
        ] {
            assert_eq!(g.pow2(&e), g.pow(&g.mont_in(&small(2)), &e), "{e:x?}");
        }
    }

    #[test]
    fn add_sub_wrap_modulo_n() {
        let g = group();
        let mut n_minus_1 = g.n;
        n_minus_1[0] -= 1;
        assert_eq!(g.add(&n_minus_1, &small(5)), small(4));
        assert_eq!(g.sub(&small(4), &small(5)), n_minus_1);
        assert_eq!(g.reduce(g.n), small(0));
    }

    #[test]
    fn mul_add_matches_u128() {
        let r = mul_add(&[7, 1], &[0xFFFF_FFFF, 3], &[0xFFFF_FFFF, 0xFFFF_FFFF]);
        let want = (1u128 << 32) + 7 + 0x3_FFFF_FFFFu128 * 0xFFFF_FFFF_FFFF_FFFFu128;
        let got = r
            .iter()
            .rev()
            .fold(0u128, |acc, &l| (acc << 32) | l as u128);
        assert_eq!(got, want);
    }

    #[test]
    fn byte_conversions() {
        assert_eq!(to_be_bytes(&small(0x01_0203_0405)), vec![1, 2, 3, 4, 5]);
        assert_eq!(to_be_bytes(&small(0)), Vec::<u8>::new());
        assert_eq!(from_be_bytes(&[0, 0, 1, 2]), Some(small(0x102)));
        assert!(from_be_bytes(&[1; 385]).is_none());
        assert!(from_be_bytes(&[0; 400]).is_some());
        assert_eq!(limbs_of(&[1, 0, 0, 0, 2]), vec![2, 1]);
    }
}
