//! The inner loop of [`Group::rows`](crate::Group::rows): `t[j] += x[0][j]·s[0] + ... +
//! x[3][j]·s[3]` on 64-bit columns, with no carries (the callers bound the sums), for `j`
//! below `t.len()` (a multiple of 8, at most [`LIMBS`](crate::LIMBS)). `x[0]` and `x[2]` are
//! zero below `split` (a multiple of 8) and skipped there. In wasm it is SIMD128, two
//! 32x32->64 products per instruction; the portable version (native builds: tests, the
//! emulator) computes the same sums one by one, skipping the same products, so native tests
//! check the callers' side of the contract too. Also the masked scan of a table's entries
//! that [`select`](crate::select) makes.

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use portable::{mul_add, or_masked};
#[cfg(target_arch = "wasm32")]
pub(crate) use simd128::{mul_add, or_masked};

#[cfg(target_arch = "wasm32")]
mod simd128 {
    use crate::{Limbs, LIMBS};
    use core::arch::wasm32::{
        u32x4_splat, u64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, v128, v128_and,
        v128_load, v128_or, v128_store,
    };

    /// Four columns: `t[j..j + 4] += Σ x[j..j + 4]·s` over the `x, s` pairs given (`t` and
    /// the `x` raw pointers, the `s` `u32x4` splats).
    macro_rules! four_columns {
        ($t:expr, $j:expr, $($x:expr, $s:expr);+) => {{
            let (t0, t1) = ($t.add($j).cast::<v128>(), $t.add($j + 2).cast::<v128>());
            let (mut low, mut high) = (v128_load(t0), v128_load(t1));
            $(
                let x = v128_load($x.add($j).cast::<v128>());
                low = u64x2_add(low, u64x2_extmul_low_u32x4(x, $s));
                high = u64x2_add(high, u64x2_extmul_high_u32x4(x, $s));
            )+
            v128_store(t0, low);
            v128_store(t1, high);
        }};
    }

    /// `target_feature` compiles this function (and the intrinsics inlined into it) with
    /// SIMD128 without enabling it for the whole build. Any module containing it needs a wasm
    /// engine with SIMD128 (Chrome 91, Firefox 89, Safari 16.4 and later).
    #[target_feature(enable = "simd128")]
    pub(crate) fn mul_add(t: &mut [u64], x: [&Limbs; 4], s: [u32; 4], split: usize) {
        // Steps of 8 columns.
        let steps = t.len().min(LIMBS) / 8;
        let split = (split / 8).min(steps);
        let t = t.as_mut_ptr();
        let (x0, x1, x2, x3) = (x[0].as_ptr(), x[1].as_ptr(), x[2].as_ptr(), x[3].as_ptr());
        let splats = [
            u32x4_splat(s[0]),
            u32x4_splat(s[1]),
            u32x4_splat(s[2]),
            u32x4_splat(s[3]),
        ];
        let sp = splats.as_ptr();
        // SAFETY (both loops): j + 8 <= 8·steps <= the length of `t` and of every x[k], so the
        // 32 bytes read at each x[k] + j and the 64 bytes read and written at t + j lie inside
        // them (and `t`, borrowed mutably, overlaps none); v128 accesses need no alignment;
        // `sp` points at the four splats, alive until the function returns.
        for j in (0..split).map(|k| 8 * k) {
            // Loop-invariant multipliers get hoisted, and LLVM then no longer recognises the
            // zero-extended products as `extmul` (it emits a 64x64 `i64x2.mul`, much slower in
            // V8): read them afresh in the loop body, once per 8 columns, by volatile loads
            // (`black_box` did the same with a store before each load: 2% slower SRP in Node).
            let (s1, s3) = unsafe { (sp.add(1).read_volatile(), sp.add(3).read_volatile()) };
            unsafe {
                four_columns!(t, j, x1, s1; x3, s3);
                four_columns!(t, j + 4, x1, s1; x3, s3);
            }
        }
        for j in (split..steps).map(|k| 8 * k) {
            let (s0, s1, s2, s3) = unsafe {
                (
                    sp.read_volatile(),
                    sp.add(1).read_volatile(),
                    sp.add(2).read_volatile(),
                    sp.add(3).read_volatile(),
                )
            };
            unsafe {
                four_columns!(t, j, x0, s0; x1, s1; x2, s2; x3, s3);
                four_columns!(t, j + 4, x0, s0; x1, s1; x2, s2; x3, s3);
            }
        }
    }

    /// `out |= x[i] & masks[i]` over the entries `x[i]`, four limbs per SIMD128 instruction,
    /// eight limbs at a time through every entry (two accumulators that stay in registers).
    /// The scalar loop, which LLVM does not vectorise without the feature, is several times
    /// slower: a comb look-up scans 128 entries.
    #[target_feature(enable = "simd128")]
    pub(crate) fn or_masked(out: &mut Limbs, x: &[Limbs], masks: &[u32; 256]) {
        let o = out.as_mut_ptr();
        for j in (0..LIMBS / 8).map(|k| 8 * k) {
            // SAFETY: j + 8 <= LIMBS, the length of `out` and of every entry; `out`, borrowed
            // mutably, overlaps none; v128 accesses need no alignment.
            unsafe {
                let (mut low, mut high) =
                    (v128_load(o.add(j).cast()), v128_load(o.add(j + 4).cast()));
                for (x, &m) in x.iter().zip(masks) {
                    let (m, x) = (u32x4_splat(m), x.as_ptr());
                    low = v128_or(low, v128_and(v128_load(x.add(j).cast()), m));
                    high = v128_or(high, v128_and(v128_load(x.add(j + 4).cast()), m));
                }
                v128_store(o.add(j).cast(), low);
                v128_store(o.add(j + 4).cast(), high);
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod portable {
    use crate::{Limbs, LIMBS};

    pub(crate) fn mul_add(t: &mut [u64], x: [&Limbs; 4], s: [u32; 4], split: usize) {
        for (k, (x, s)) in x.into_iter().zip(s).enumerate() {
            let from = if k % 2 == 0 { split.min(t.len()) } else { 0 };
            for (t, &x) in t[from..].iter_mut().zip(&x[from..]) {
                *t += x as u64 * s as u64;
            }
        }
    }

    pub(crate) fn or_masked(out: &mut Limbs, x: &[Limbs], masks: &[u32; 256]) {
        for j in (0..LIMBS / 8).map(|k| 8 * k) {
            let mut acc = [0u32; 8];
            acc.copy_from_slice(&out[j..j + 8]);
            for (x, &m) in x.iter().zip(masks) {
                for (a, &x) in acc.iter_mut().zip(&x[j..j + 8]) {
                    *a |= x & m;
                }
            }
            out[j..j + 8].copy_from_slice(&acc);
        }
    }
}
