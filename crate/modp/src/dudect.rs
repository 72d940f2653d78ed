//! Timing tests in the manner of dudect (Reparaz, Balasch, Verbauwhede, "Dude, is my code
//! constant time?", 2017): each primitive that handles secrets is timed on two classes of
//! input, one fixed secret and fresh random ones, drawn at random for each sample and
//! interleaved, and Welch's t-test compares the two distributions of times, whole and cropped
//! at a range of upper percentiles (as dudect does, since the noise of a machine is one-sided).
//! `|t|` above 4.5 says the times depend on the secret.
//!
//! The full run (10^6 samples of each primitive, fewer of the exponentiations, see
//! [`FULL`]) is on demand, a few minutes natively:
//!
//! ```sh
//! cargo test -p cognito-wasm-modp --release -- --ignored dudect --nocapture
//! ```
//!
//! It also runs the same test on the variable-time code (`dudect_catches_variable_time`),
//! which must fail it: the test can see a leak. A short run of the primitives is part of the
//! normal test suite.

use super::*;
use std::println;
use std::time::Instant;
use std::vec::Vec;

/// Samples of the full run, per primitive: the masked look-up, the final subtraction and the
/// multiplication (microseconds each).
const FULL: usize = 1_000_000;
/// Samples of the full run's exponentiations: a `pow` costs about 0.25 ms natively with the
/// short exponent used here, a comb `pow2` about 0.65 ms.
const FULL_POW: usize = 100_000;
const FULL_POW2: usize = 30_000;
/// The threshold dudect uses.
const T_MAX: f64 = 4.5;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn limbs(&mut self) -> Limbs {
        // A random value below 2^3072, normalised; below N but for a chance of 2^-64.
        let mut x = [0u32; LIMBS];
        for l in &mut x[..USED] {
            *l = self.next() as u32 & MASK;
        }
        x[USED - 1] &= (1 << (3072 - 28 * (USED - 1))) - 1;
        x
    }

    fn below_n(&mut self) -> Limbs {
        group().reduce(self.limbs())
    }
}

/// Welch's t statistic of the two classes' samples.
fn welch(samples: &[(u8, u64)], cap: u64) -> f64 {
    let (mut n, mut sum, mut sq) = ([0f64; 2], [0f64; 2], [0f64; 2]);
    for &(class, t) in samples.iter().filter(|s| s.1 <= cap) {
        let (c, t) = (class as usize, t as f64);
        n[c] += 1.0;
        sum[c] += t;
        sq[c] += t * t;
    }
    let mean = [sum[0] / n[0], sum[1] / n[1]];
    let var = [
        (sq[0] / n[0] - mean[0] * mean[0]) * n[0] / (n[0] - 1.0),
        (sq[1] / n[1] - mean[1] * mean[1]) * n[1] / (n[1] - 1.0),
    ];
    let se = (var[0] / n[0] + var[1] / n[1]).sqrt();
    if se == 0.0 {
        return 0.0;
    }
    (mean[0] - mean[1]) / se
}

/// Times `op` on `samples` inputs of random classes (0: `make(rng, 0)`, the fixed secret;
/// 1: `make(rng, 1)`, a random one), and returns the largest `|t|` over the whole set and the
/// sets cropped above dudect's percentiles. Inputs are made by batches before timing, both
/// classes the same way, so that making them does not weigh on either class's times.
fn dudect<I>(
    name: &str,
    samples: usize,
    mut make: impl FnMut(&mut Rng, u8) -> I,
    mut op: impl FnMut(&I),
) -> f64 {
    let mut rng = Rng(0x853C_49E6_748F_EA9B ^ samples as u64);
    let mut times = Vec::with_capacity(samples);
    const BATCH: usize = 1000;
    let mut done = 0;
    while done < samples {
        let batch = BATCH.min(samples - done);
        let inputs: Vec<(u8, I)> = (0..batch)
            .map(|_| {
                let class = (rng.next() >> 63) as u8;
                (class, make(&mut rng, class))
            })
            .collect();
        for (class, input) in &inputs {
            let start = Instant::now();
            op(core::hint::black_box(input));
            times.push((*class, start.elapsed().as_nanos() as u64));
        }
        done += batch;
    }
    let mut sorted: Vec<u64> = times.iter().map(|s| s.1).collect();
    sorted.sort_unstable();
    // dudect's crops: the percentiles 1 - 0.5^(10·(k + 1) / 100), finer near the top.
    let mut worst = welch(&times, u64::MAX);
    let whole = worst;
    for k in 0..20 {
        let p = 1.0 - 0.5f64.powf(10.0 * (5 * k + 1) as f64 / 100.0);
        let cap = sorted[((sorted.len() - 1) as f64 * p) as usize];
        let t = welch(&times, cap);
        if t.abs() > worst.abs() {
            worst = t;
        }
    }
    let median = sorted[sorted.len() / 2];
    println!(
        "dudect {name}: {samples} samples, median {median} ns, t = {whole:.2} (whole), max |t| = {:.2}",
        worst.abs()
    );
    worst.abs()
}

fn select_comb(samples: usize) -> f64 {
    let table = comb_table();
    dudect(
        "select (comb, 128 entries)",
        samples,
        |rng, class| {
            if class == 0 {
                0
            } else {
                rng.next() as usize % table.len()
            }
        },
        |&i| {
            core::hint::black_box(select(table, i));
        },
    )
}

fn final_subtraction(samples: usize) -> f64 {
    let g = group();
    // Fixed: N + 12345, which needs the subtraction; random values below N do not.
    let mut fixed = g.n;
    fixed[0] += 12345;
    dudect(
        "reduce (final subtraction)",
        samples,
        |rng, class| if class == 0 { fixed } else { rng.below_n() },
        |x| {
            core::hint::black_box(g.reduce(*x));
        },
    )
}

fn montgomery_mul(samples: usize) -> f64 {
    let g = group();
    let fixed = g.sub(&g.n, &g.one);
    dudect(
        "mul",
        samples,
        |rng, class| {
            if class == 0 {
                (fixed, fixed)
            } else {
                (rng.below_n(), rng.below_n())
            }
        },
        |(a, b)| {
            core::hint::black_box(g.mul(a, b));
        },
    )
}

/// Bits of the exponent in the `pow` test: four windows, the table's 30 products included.
const POW_BITS: usize = 20;

fn pow_fixed_window(samples: usize) -> f64 {
    let g = group();
    let base = g.mont_in(&Rng(7).below_n());
    dudect(
        "pow (fixed windows, 20-bit exponent)",
        samples,
        |rng, class| {
            let e = if class == 0 {
                0
            } else {
                rng.next() as u32 & 0xF_FFFF
            };
            [e]
        },
        |e| {
            core::hint::black_box(g.pow(&base, e, POW_BITS));
        },
    )
}

fn pow2_comb(samples: usize) -> f64 {
    let g = group();
    comb_table();
    dudect(
        "pow2 (comb, 384-bit exponent)",
        samples,
        |rng, class| {
            let mut e = [0u32; 12];
            if class == 1 {
                for l in &mut e {
                    *l = rng.next() as u32;
                }
            }
            e
        },
        |e| {
            core::hint::black_box(g.pow2(e));
        },
    )
}

#[test]
fn dudect_short_constant_time_primitives() {
    for t in [
        select_comb(20_000),
        final_subtraction(20_000),
        montgomery_mul(10_000),
    ] {
        assert!(t < T_MAX, "|t| = {t:.2}");
    }
}

#[test]
#[ignore = "minutes: cargo test -p cognito-wasm-modp --release -- --ignored dudect --nocapture"]
fn dudect_full_constant_time() {
    let ts = [
        select_comb(FULL),
        final_subtraction(FULL),
        montgomery_mul(FULL),
        pow_fixed_window(FULL_POW),
        pow2_comb(FULL_POW2),
    ];
    for t in ts {
        assert!(t < T_MAX, "|t| = {t:.2}");
    }
}

/// The previous, variable-time code, through the same test: it must fail it.
#[test]
#[ignore = "seconds: cargo test -p cognito-wasm-modp --release -- --ignored dudect --nocapture"]
fn dudect_catches_variable_time() {
    let g = group();
    let table = comb_table();
    let indexed = dudect(
        "indexed look-up (comb)",
        FULL,
        |rng, class| {
            if class == 0 {
                0
            } else {
                rng.next() as usize % table.len()
            }
        },
        |&i| {
            core::hint::black_box(table[i]);
        },
    );
    let mut fixed = g.n;
    fixed[0] += 12345;
    let branchy = dudect(
        "branching final subtraction",
        FULL,
        |rng, class| if class == 0 { fixed } else { rng.below_n() },
        |x| {
            let mut x = *x;
            // The former `reduce`: compare, then subtract if not below N.
            let below = (0..LIMBS)
                .rev()
                .find(|&i| x[i] != g.n[i])
                .is_some_and(|i| x[i] < g.n[i]);
            if !below {
                sub_assign(&mut x, &g.n);
            }
            core::hint::black_box(x);
        },
    );
    let base = g.mont_in(&Rng(7).below_n());
    let sliding = dudect(
        "pow_vartime (sliding windows, 20-bit exponent)",
        FULL_POW / 10,
        |rng, class| {
            let e = if class == 0 {
                0x8_0001
            } else {
                rng.next() as u32 & 0xF_FFFF
            };
            [e]
        },
        |e| {
            core::hint::black_box(g.pow_vartime(&base, e));
        },
    );
    let comb = dudect(
        "pow2_vartime (comb skipping zero columns)",
        FULL_POW2 / 10,
        |rng, class| {
            let mut e = [0u32; 12];
            if class == 1 {
                for l in &mut e {
                    *l = rng.next() as u32;
                }
            }
            e
        },
        |e| {
            core::hint::black_box(g.pow2_vartime(e));
        },
    );
    println!("variable time: indexed {indexed:.2}, branchy {branchy:.2}, sliding {sliding:.2}, comb {comb:.2}");
    assert!(sliding > T_MAX && comb > T_MAX && branchy > T_MAX);
}
