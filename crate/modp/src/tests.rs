//! Unit tests of the arithmetic, natively (the timing test is `dudect.rs`).

use super::*;
use std::format;
use std::string::String;

fn small(v: u128) -> Limbs {
    from_be_bytes(&v.to_be_bytes()).unwrap()
}

/// N as an exponent (plain `u32` limbs).
fn n_exponent() -> Vec<u32> {
    limbs_of(&to_be_bytes(&group().n))
}

#[test]
fn modulus_is_rfc_3526_and_minus_one_mod_2_to_the_28() {
    let g = group();
    let hex: String = to_be_bytes(&g.n)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(hex, N_HEX);
    // mul and sqr rely on it: the reduction multiplier is the low limb itself.
    assert_eq!(g.n[0], MASK);
    assert!(g.n[USED..].iter().all(|&l| l == 0));
    assert_eq!(g.mont_out(&g.one), small(1));
    assert_eq!(g.mont_out(&g.r2), g.one);
}

#[test]
fn montgomery_round_trip_and_small_products() {
    let g = group();
    let a = small(123_456_789_012);
    let b = small(987_654_321);
    let p = g.mont_out(&g.mul(&g.mont_in(&a), &g.mont_in(&b)));
    assert_eq!(p, small(123_456_789_012u128 * 987_654_321u128));
    assert_eq!(g.mont_out(&g.mont_in(&a)), a);
}

#[test]
fn fermat_little_theorem_holds() {
    // 2^(N-1) = 1 mod N for the prime N: exercises every limb of mul and pow.
    let g = group();
    let mut e = n_exponent();
    e[0] -= 1;
    let two = g.mont_in(&small(2));
    assert_eq!(g.mont_out(&g.pow_vartime(&two, &e)), small(1));
    assert_eq!(g.mont_out(&g.pow(&two, &e, 3072)), small(1));
    assert_eq!(g.mont_out(&g.pow2(&e)), small(1));
    // and 3^N = 3
    let three = g.mont_in(&small(3));
    let r = g.mont_out(&g.pow_vartime(&three, &n_exponent()));
    assert_eq!(r, small(3));
    assert_eq!(g.mont_out(&g.pow(&three, &n_exponent(), 3072)), small(3));
}

#[test]
fn constant_time_and_variable_time_powers_agree() {
    let g = group();
    let two = g.mont_in(&small(2));
    let base = g.mont_in(&small(0xDEAD_BEEF_1234_5678_9ABC));
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as u32
    };
    for len in [0, 1, 2, 7, 8, 12, 13, 17] {
        for _ in 0..3 {
            let e: Vec<u32> = (0..len).map(|_| next()).collect();
            // Any bound at or above the length, and a fixed size beyond the window's.
            let want = g.pow_vartime(&base, &e);
            assert_eq!(g.pow(&base, &e, 32 * len), want, "{e:x?}");
            assert_eq!(g.pow(&base, &e, 32 * len + 3), want, "{e:x?}");
            assert_eq!(g.pow2(&e), g.pow_vartime(&two, &e), "{e:x?}");
            assert_eq!(g.pow2_vartime(&e), g.pow2(&e), "{e:x?}");
        }
    }
    // Leading zero limbs, all-zero and all-one exponents.
    assert_eq!(g.pow2(&[5, 0, 0, 0]), g.pow_vartime(&two, &[5]));
    assert_eq!(g.pow(&base, &[0; 4], 128), g.one);
    assert_eq!(g.pow(&base, &[], 0), g.one);
    assert_eq!(g.pow(&base, &[1], 1), base);
    let ones = [u32::MAX; 12];
    assert_eq!(g.pow(&base, &ones, 384), g.pow_vartime(&base, &ones));
}

#[test]
fn select_reads_the_entry_asked_for() {
    let table = comb_table();
    for i in [0, 1, 77, 127] {
        assert_eq!(select(table, i), table[i]);
    }
    assert_eq!(select(&table[..4], 4), [0; LIMBS]);
}

#[test]
fn squaring_and_powers_of_two_agree_with_multiplication() {
    let g = group();
    let mut x = g.mont_in(&small(0xDEAD_BEEF_1234_5678));
    for _ in 0..50 {
        assert_eq!(g.sqr(&x), g.mul(&x, &x));
        x = g.mul(&x, &g.mont_in(&small(0x9E37_79B9_7F4A_7C15)));
    }
    // N - 1 and N - 2: limbs at their maximum, the columns' worst case.
    for k in [1, 2] {
        let top = g.sub(&g.n, &small(k));
        assert_eq!(g.sqr(&top), g.mul(&top, &top));
        // (-1)^2 = 1 and (-2)^2 = 4, whatever the form.
        let plain = g.mont_out(&g.mul(&g.mont_in(&top), &g.mont_in(&top)));
        assert_eq!(plain, small(k * k));
    }
    let e = [0x8765_4321, 0xFFFF_FFFF, 0x1, 0x8000_0000];
    assert_eq!(g.pow2(&e), g.pow_vartime(&g.mont_in(&small(2)), &e));
    assert_eq!(g.pow2(&[]), g.pow_vartime(&g.mont_in(&small(2)), &[]));
    // Both sides of the comb's limit, and its top bit.
    for e in [
        vec![u32::MAX; 12],
        vec![1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x8000_0000],
        vec![7; 13],
    ] {
        assert_eq!(
            g.pow2(&e),
            g.pow_vartime(&g.mont_in(&small(2)), &e),
            "{e:x?}"
        );
        assert_eq!(g.pow2_vartime(&e), g.pow2(&e), "{e:x?}");
    }
}

#[test]
fn add_sub_wrap_modulo_n() {
    let g = group();
    let n_minus_1 = g.sub(&g.n, &small(1));
    assert_eq!(g.add(&n_minus_1, &small(5)), small(4));
    assert_eq!(g.sub(&small(4), &small(5)), n_minus_1);
    assert_eq!(g.reduce(g.n), small(0));
    assert_eq!(g.add(&n_minus_1, &n_minus_1), g.sub(&n_minus_1, &small(1)));
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
    let x = small(0x01_0203_0405);
    assert_eq!((x[0], x[1]), (0x203_0405, 0x10));
    assert_eq!(to_be_bytes(&x), vec![1, 2, 3, 4, 5]);
    assert_eq!(to_be_bytes(&small(0)), Vec::<u8>::new());
    assert_eq!(from_be_bytes(&[0, 0, 1, 2]), Some(small(0x102)));
    assert!(from_be_bytes(&[1; 385]).is_none());
    assert!(from_be_bytes(&[0; 400]).is_some());
    let max = from_be_bytes(&[0xFF; 384]).unwrap();
    assert_eq!(to_be_bytes(&max), vec![0xFF; 384]);
    assert!(max[..109].iter().all(|&l| l == MASK));
    assert_eq!((max[109], max[110]), ((1 << 20) - 1, 0));
    assert_eq!(limbs_of(&[1, 0, 0, 0, 2]), vec![2, 1]);
}

/// The exponentiations' operands may lie anywhere below 2N (`mul_lazy`, `sqr_lazy`): at the
/// top of that range, and either side of N, the results stay below 2N and reduce to what the
/// reducing operations give.
#[test]
fn lazy_operations_stay_below_two_n() {
    let g = group();
    let mut two_n = g.n;
    add_assign(&mut two_n, &g.n);
    let minus = |x: &Limbs, v: u128| {
        let mut d = *x;
        sub_assign(&mut d, &small(v));
        d
    };
    let mut n_plus_one = g.n;
    add_assign(&mut n_plus_one, &small(1));
    let values = [
        minus(&two_n, 1),
        minus(&two_n, 0x1234_5678_9abc),
        g.n,
        n_plus_one,
        minus(&g.n, 1),
        g.r2,
        small(3),
    ];
    let below_two_n = |x: &Limbs| {
        let mut d = *x;
        sub_assign(&mut d, &two_n)
    };
    for a in &values {
        assert!(below_two_n(a));
        let square = g.sqr_lazy(a);
        assert!(below_two_n(&square));
        assert_eq!(square, g.mul_lazy(a, a));
        assert_eq!(g.reduce(square), g.mul(&g.reduce(*a), &g.reduce(*a)));
        for b in &values {
            let product = g.mul_lazy(a, b);
            assert!(below_two_n(&product));
            assert_eq!(g.reduce(product), g.mul(&g.reduce(*a), &g.reduce(*b)));
            assert_eq!(product, g.mul_lazy(b, a));
        }
    }
}
