//! The JSON module's tests, against serde_json where it has an opinion.

use super::parse::SMALL_OBJECT;
use super::*;
use std::format;
use std::string::ToString;

#[test]
fn object_writer_writes_what_the_parser_reads() {
    let text = ObjectWriter::new()
        .string("a", "x\"y\n")
        .opt_string("absent", None)
        .opt_string("b", Some("z"))
        .bool("c", false)
        .int("d", -12)
        .raw("e", "[1,{}]")
        .opt_raw("f", None)
        .finish();
    assert_eq!(
        text,
        r#"{"a":"x\"y\n","b":"z","c":false,"d":-12,"e":[1,{}]}"#
    );
    let o = parse_object(&text).unwrap();
    assert_eq!(o.get("a").and_then(Value::as_str), Some("x\"y\n"));
    assert_eq!(o.get("d").and_then(Value::as_i64), Some(-12));
    assert_eq!(ObjectWriter::new().finish(), "{}");
}

fn ok(text: &str) -> Value {
    parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn bad(text: &str) -> &'static str {
    parse(text).expect_err(text).what
}

#[test]
fn parses_what_cognito_sends() {
    let v = ok(
        r#" {"AuthenticationResult":{"ExpiresIn":3600,"IdToken":"a.b.c"},
        "ChallengeParameters":{}, "ok":true, "n":null, "list":[1,-2.5,3e2,"x"]} "#,
    );
    assert_eq!(
        v.get("AuthenticationResult")
            .unwrap()
            .get("ExpiresIn")
            .unwrap()
            .as_i64(),
        Some(3600)
    );
    assert_eq!(
        v.get("AuthenticationResult")
            .unwrap()
            .get("IdToken")
            .unwrap()
            .as_str(),
        Some("a.b.c")
    );
    assert_eq!(v.get("ok").unwrap().as_bool(), Some(true));
    assert_eq!(v.get("n"), Some(&Value::Null));
    let list = v.get("list").unwrap().as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[1].as_i64(), Some(-3), "fractions round down");
    assert_eq!(list[2].as_i64(), None, "no exponents");
    assert_eq!(list[2], Value::Number(Number("3e2".into())));
}

#[test]
fn strings_and_escapes_round_trip() {
    let v = ok(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00 é😀""#);
    assert_eq!(v.as_str(), Some("a\"b\\c/d\u{8}\u{c}\n\r\té😀 é😀"));
    let written = v.to_json();
    assert_eq!(parse(&written).unwrap(), v);
    assert_eq!(Value::from("\u{1}").to_json(), r#""\u0001""#);
}

#[test]
fn integers_are_exact_and_checked() {
    assert_eq!(ok("9223372036854775807").as_i64(), Some(i64::MAX));
    assert_eq!(ok("-9223372036854775808").as_i64(), Some(i64::MIN));
    assert_eq!(ok("9223372036854775808").as_i64(), None);
    assert_eq!(ok("1700000000.9").as_i64(), Some(1_700_000_000));
    assert_eq!(ok("-0.5").as_i64(), Some(-1));
    assert_eq!(ok("0").as_i64(), Some(0));
    assert_eq!(ok("1.5e3").as_i64(), None, "an exponent after a fraction");
    assert_eq!(ok("2E1").as_i64(), None);
    assert_eq!(ok("-0.000").as_i64(), Some(0));
    for n in [0, 7, -7, 1_700_000_000, i64::MIN, i64::MAX] {
        assert_eq!(itoa(n), n.to_string());
    }
}

#[test]
fn refuses_what_is_not_json() {
    for (text, what) in [
        ("", "unexpected end"),
        ("{", "expected a key"),
        ("{\"a\":1,}", "expected a key"),
        ("[1,]", "unexpected character"),
        ("[1 2]", "expected ',' or ']'"),
        ("01", "trailing characters"),
        ("1.", "invalid number"),
        ("-", "invalid number"),
        ("1e", "invalid number"),
        ("+1", "unexpected character"),
        ("tru", "unexpected character"),
        ("\"a", "unterminated string"),
        ("\"\\x\"", "invalid escape"),
        ("\"\\u12\"", "invalid \\u escape"),
        ("\"\\ud800\"", "lone surrogate"),
        ("\"\\ud800\\u0041\"", "lone surrogate"),
        ("\"\\udc00\"", "lone surrogate"),
        ("\"a\nb\"", "control character in string"),
        ("{} {}", "trailing characters"),
        ("NaN", "unexpected character"),
    ] {
        assert_eq!(bad(text), what, "{text:?}");
    }
}

#[test]
fn duplicate_keys_are_refused() {
    let e = parse(r#"{"sub":"a","sub":"b"}"#).unwrap_err();
    assert_eq!((e.what, e.at), ("duplicate key", 11));
    assert_eq!(e.message(), "duplicate key at byte 11");
    assert!(parse(r#"{"a":{"sub":1},"sub":2}"#).is_ok());
}

#[test]
fn duplicate_keys_in_large_objects_are_refused_too() {
    let keys: Vec<String> = (0..MAX_MEMBERS - 1)
        .map(|i| format!("\"k{i}\":{i}"))
        .collect();
    let unique = format!("{{{}}}", keys.join(","));
    assert_eq!(parse_object(&unique).unwrap().len(), MAX_MEMBERS - 1);
    let twice = format!("{{{},\"k432\":0}}", keys.join(","));
    let e = parse(&twice).unwrap_err();
    assert_eq!(e.what, "duplicate key");
    assert_eq!(&twice[e.at..e.at + 6], "\"k432\"");
    // Just past the small-object limit, and the first repeated key of several.
    let mut small: Vec<String> = (0..SMALL_OBJECT).map(|i| format!("\"s{i}\":0")).collect();
    small.push("\"s3\":1".into());
    small.push("\"s1\":1".into());
    let text = format!("{{{}}}", small.join(","));
    let e = parse(&text).unwrap_err();
    assert_eq!(&text[e.at..e.at + 4], "\"s3\"");
}

#[test]
fn nesting_is_bounded() {
    let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&deep).is_ok());
    let deeper = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    assert_eq!(bad(&deeper), "nested too deep");
    // Far deeper than any stack could recurse: refused, not a crash.
    assert_eq!(bad(&"{\"a\":".repeat(100_000)), "nested too deep");
}

#[test]
fn objects_keep_order_and_insert_replaces() {
    let mut o = Object::new().with("b", 1).with("a", "x");
    o.insert("b", true);
    let collected: Object = [("b", Value::from(1)), ("a", "x".into()), ("b", true.into())]
        .into_iter()
        .collect();
    assert_eq!(collected, o);
    assert_eq!(Value::from(o.clone()).to_json(), r#"{"b":true,"a":"x"}"#);
    assert_eq!(o.len(), 2);
    let none: Option<&str> = None;
    assert_eq!(Value::from(none), Value::Null);
}

#[test]
#[cfg(not(target_arch = "wasm32"))] // serde_json is a native dev-dependency
fn agrees_with_serde_json_on_a_token_payload() {
    let text = r#"{"sub":"5f1d","cognito:groups":["admin","ops"],"email_verified":true,
        "iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Practical",
        "exp":1764236400,"custom:note":"caf\u00e9 \"quoted\""}"#;
    let ours = ok(text).to_json();
    let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
    let back: serde_json::Value = serde_json::from_str(&ours).unwrap();
    assert_eq!(back, theirs);
}
