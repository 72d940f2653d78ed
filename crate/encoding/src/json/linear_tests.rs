//! The bound on objects' members, which keeps the duplicate-key check linear in the text.

use super::*;
use std::format;
use std::time::{Duration, Instant};

/// `{"k37499":0,...,"k00000":0}` for `n` = 37,500: each key sorts before all the earlier
/// ones, the worst case of the duplicate-key check's sorted insert; with `repeat`, the last
/// key once more at the end.
fn descending(n: usize, repeat: bool) -> String {
    let mut text = String::from("{");
    for i in (0..n).rev() {
        text.push_str(&format!("\"k{i:05}\":0,"));
    }
    if repeat {
        text.push_str("\"k00000\":1}");
    } else {
        text.pop();
        text.push('}');
    }
    text
}

/// The fastest of three runs, so that a loaded machine's pauses do not count.
fn fastest(mut run: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn an_object_of_37500_keys_in_descending_order_is_refused_at_once() {
    // 412 KB of JSON. Unbounded, the check moved n²/2 indices: 76-97 ms natively, before
    // a verdict. Now the parser stops at the member past the bound: microseconds, even
    // unoptimised.
    let text = descending(37_500, true);
    let e = parse(&text).unwrap_err();
    assert_eq!(e.what, "too many members");
    assert_eq!(e.at, 1 + MAX_MEMBERS * "\"k00000\":0,".len());
    let refused = fastest(|| assert!(parse(&text).is_err()));
    std::println!("37,500 keys: refused in {refused:?}");
    assert!(refused < Duration::from_millis(5), "{refused:?}");
}

#[test]
fn an_object_at_the_bound_is_read_and_its_repeats_found() {
    let full = descending(MAX_MEMBERS, false);
    assert_eq!(parse_object(&full).map(|o| o.len()), Ok(MAX_MEMBERS));
    let repeated = descending(MAX_MEMBERS - 1, true);
    let e = parse(&repeated).unwrap_err();
    assert_eq!((e.what, e.at), ("duplicate key", repeated.len() - 11));
    // The worst case of the bound: well under the 5 ms the brief allows the refusal above.
    let read = fastest(|| assert!(parse(&full).is_ok()));
    std::println!("{MAX_MEMBERS} keys in descending order: read in {read:?}");
    let one_more = descending(MAX_MEMBERS + 1, false);
    assert_eq!(parse(&one_more).unwrap_err().what, "too many members");
    // Arrays are not bounded: they need no duplicate check.
    let list = format!("[{}0]", "0,".repeat(10 * MAX_MEMBERS));
    assert!(parse(&list).is_ok());
}
