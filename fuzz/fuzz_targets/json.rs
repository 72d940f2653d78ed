//! The encoding crate's JSON against serde_json: the same documents accepted, read as the same
//! values (numbers as written, members in order), with the deliberate strictness (repeated
//! keys, nesting beyond 64) applied to serde_json's verdict by `reference`. What we write
//! reads back as the same value, in both. Integers are read as the number's floor, exactly.
#![no_main]

use cognito_wasm_fuzz::reference;
use encoding::json::{self, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if reference::ambiguous(text) {
        return;
    }
    let ours = json::parse(text);
    let theirs = reference::parse(text);
    match (&ours, &theirs) {
        (Ok(v), Ok(doc)) => {
            assert!(
                doc.matches(v),
                "{text:?}: we read {v:?}, serde_json {doc:?}"
            );
            written_back(v);
            integers(v);
        }
        // Both refuse, maybe for different reasons: we stop at the first repeated key of a
        // small object and at the 65th level, where the reference may go on to a syntax error
        // further on, and a large object's keys are checked at its end.
        (Err(_), Err(_)) => {}
        _ => panic!("{text:?}: we say {ours:?}, the reference {theirs:?}"),
    }
    // An object document is what parse_object accepts.
    let object = json::parse_object(text);
    assert_eq!(
        object.is_ok(),
        matches!(ours, Ok(Value::Object(_))),
        "{text:?}: parse_object {object:?}"
    );
});

/// Our text of `v` reads back as `v`, and serde_json reads it as the same document.
fn written_back(v: &Value) {
    let text = v.to_json();
    let again = json::parse(&text).unwrap_or_else(|e| panic!("{text:?} does not read back: {e:?}"));
    assert_eq!(&again, v, "{text:?}");
    let doc =
        reference::parse(&text).unwrap_or_else(|e| panic!("serde_json refuses {text:?}: {e:?}"));
    assert!(doc.matches(v), "{text:?}");
}

/// Every number's `as_i64` is the floor of its value when that fits in an i64 and it has no
/// exponent, computed here in i128 from its text.
fn integers(v: &Value) {
    match v {
        Value::Number(n) => assert_eq!(n.as_i64(), floor(n.as_str()), "{n:?}"),
        Value::Array(items) => items.iter().for_each(integers),
        Value::Object(o) => o.iter().for_each(|(_, v)| integers(v)),
        _ => {}
    }
}

fn floor(text: &str) -> Option<i64> {
    if text.contains(['e', 'E']) {
        return None;
    }
    let (int, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = int.trim_start_matches('-');
    if digits.len() > 30 {
        return None; // far beyond an i64, either sign
    }
    let mut n: i128 = int.parse().ok()?;
    if int.starts_with('-') && fraction.bytes().any(|b| b != b'0') {
        n -= 1;
    }
    i64::try_from(n).ok()
}
