//! A small JSON value, parser and writer: all the JSON this library reads and writes.
//!
//! Cognito's requests and answers, JWT headers and payloads and JWKS documents are small,
//! flat and mostly strings. `serde_json` and the `serde` derives for two dozen wire structs
//! cost the browser build about 60 KB of wasm; this module costs a few. It is also stricter
//! where strictness is a security property: duplicate object keys are refused (a token whose
//! payload says `"sub"` twice means different things to different parsers), nesting is
//! bounded (no stack overflow from input), and numbers keep their exact text (no float
//! rounding of claims; integer claims are read as integers).

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// How deep arrays and objects may nest. Cognito's deepest document is 3 levels.
const MAX_DEPTH: usize = 64;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

/// A JSON number, kept as its (validated) text so that nothing is rounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// The number as written in the document.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as an integer, rounded down (RFC 7519's NumericDate may carry a
    /// fraction); `None` if it has an exponent or does not fit in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        let text = self.0.as_str();
        if text.contains(['e', 'E']) {
            return None;
        }
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let (negative, digits) = match int.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, int),
        };
        let mut value: i64 = 0;
        for b in digits.bytes() {
            // The text passed the number grammar: `digits` holds only ASCII digits. // invariant
            let d = b.wrapping_sub(b'0') as i64;
            value = value.checked_mul(10)?;
            value = if negative {
                value.checked_sub(d)?
            } else {
                value.checked_add(d)?
            };
        }
        if negative && frac.bytes().any(|b| b != b'0') {
            value = value.checked_sub(1)?;
        }
        Some(value)
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        Number(itoa(n))
    }
}

/// A JSON object: members in document order, keys unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object(Vec::new())
    }

    /// The member named `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` (replacing an earlier value, keeping its place).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.set(key.into(), value.into());
    }

    /// The one non-generic body of `insert` (one copy in the wasm, not one per caller).
    fn set(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// [`Object::insert`], by value: `Object::new().with("a", "b").with("c", true)`.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Object {
        self.insert(key, value);
        self
    }

    /// The members, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Object {
    /// Members in iteration order; a repeated key keeps its first place and last value.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(members: I) -> Object {
        let mut o = Object::new();
        for (k, v) in members {
            o.insert(k, v);
        }
        o
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is a number without an exponent that fits (fractions rounded
    /// down).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// Compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_value(self, &mut out);
        out
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(s.clone())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n.into())
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o)
    }
}

impl From<Vec<Value>> for Value {
    fn from(a: Vec<Value>) -> Value {
        Value::Array(a)
    }
}

impl<V: Into<Value>> From<Option<V>> for Value {
    fn from(v: Option<V>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// Why a document is not JSON (or not JSON we accept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset where parsing stopped.
    pub at: usize,
    /// What was wrong there.
    pub what: &'static str,
}

impl ParseError {
    /// `what at byte N`, built without the formatting machinery (it runs in the browser).
    pub fn message(&self) -> String {
        let mut m = String::from(self.what);
        m.push_str(" at byte ");
        m.push_str(&itoa(self.at as i64));
        m
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for ParseError {}

/// Parses one JSON document (RFC 8259), refusing duplicate keys and nesting deeper than 64.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

/// Parses a document that must be an object.
pub fn parse_object(text: &str) -> Result<Object, ParseError> {
    match parse(text)? {
        Value::Object(o) => Ok(o),
        _ => Err(ParseError {
            at: 0,
            what: "not a JSON object",
        }),
    }
}

/// Objects up to this many members are checked for duplicate keys as they are read.
const SMALL_OBJECT: usize = 32;

/// The duplicate-key check of a large object, in document order: keys seen so far are kept
/// sorted (as indices) and each new one binary-searched, then inserted. n log n comparisons
/// and at most n²/2 index moves (memmove), which for the few thousand keys an HTTP header can
/// carry is a millisecond; `sort` would cost 6 KB of wasm for the same answer.
fn check_unique(members: &[(String, Value)], starts: &[usize]) -> Result<(), ParseError> {
    let mut seen: Vec<usize> = Vec::with_capacity(members.len());
    for (i, (key, _)) in members.iter().enumerate() {
        // `seen` holds indices of `members` only. // invariant
        let found = seen.binary_search_by(|&j| members[j].0.as_str().cmp(key.as_str()));
        match found {
            Ok(_) => {
                return Err(ParseError {
                    at: starts.get(i).copied().unwrap_or_default(),
                    what: "duplicate key",
                })
            }
            Err(place) => seen.insert(place, i),
        }
    }
    Ok(())
}

struct Parser<'a> {
    text: &'a str,
    /// `text`'s bytes.
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    /// The text from `start` to here. The parser stops only after ASCII bytes, so both ends
    /// are char boundaries and `get` always finds the text. // invariant
    /// (`get`, not indexing: a panic path would link `core::fmt`'s char formatting.)
    fn since(&self, start: usize) -> &str {
        self.text.get(start..self.i).unwrap_or_default()
    }

    fn err(&self, what: &'static str) -> ParseError {
        ParseError { at: self.i, what }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &'static str, v: Value) -> Result<Value, ParseError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.ws();
        match self.peek() {
            None => Err(self.err("unexpected end")),
            Some(b'{') => self.object(depth + 1).map(Value::Object),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Object, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deep"));
        }
        self.i += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        // Where each key starts, for the error. Small objects (all of Cognito's) are checked
        // for duplicates key by key; a large one once at its end, sorted, so that a hostile
        // document of thousands of keys costs n log n, not n².
        let mut starts: Vec<usize> = Vec::new();
        self.ws();
        if self.eat(b'}') {
            return Ok(Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a key"));
            }
            let at = self.i;
            let key = self.string()?;
            if members.len() < SMALL_OBJECT && members.iter().any(|(k, _)| *k == key) {
                return Err(ParseError {
                    at,
                    what: "duplicate key",
                });
            }
            starts.push(at);
            self.ws();
            if !self.eat(b':') {
                return Err(self.err("expected ':'"));
            }
            let value = self.value(depth)?;
            members.push((key, value));
            self.ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                if members.len() > SMALL_OBJECT {
                    check_unique(&members, &starts)?;
                }
                return Ok(Object(members));
            }
            return Err(self.err("expected ',' or '}'"));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deep"));
        }
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            return Err(self.err("expected ',' or ']'"));
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        self.eat(b'-');
        let digits = |p: &mut Parser<'_>| {
            let s = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i - s
        };
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.eat(b'.') && digits(self) == 0 {
            return Err(self.err("invalid number"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        Ok(Value::Number(Number(self.since(start).to_owned())))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err("invalid \\u escape")),
            };
            v = v << 4 | d as u32;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.since(start));
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.i += 1;
                    let ch = match c {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.err("invalid escape")),
                    };
                    out.push(ch);
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }

    /// After `\u`: one code point, a surrogate pair counting as one. A lone surrogate is not
    /// text, so it is refused rather than replaced.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex4()?;
        let cp = if (0xd800..0xdc00).contains(&hi) {
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err(self.err("lone surrogate"));
            }
            let lo = self.hex4()?;
            if !(0xdc00..0xe000).contains(&lo) {
                return Err(self.err("lone surrogate"));
            }
            0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
        } else {
            hi
        };
        char::from_u32(cp).ok_or_else(|| self.err("lone surrogate"))
    }
}

fn write_value(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&n.0),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.0.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_value(v, out);
            }
            out.push('}');
        }
    }
}

/// A JSON object written member by member: for documents built once and sent (requests,
/// results), no tree and no allocation per member, where an [`Object`] costs two and a search.
/// Keys must be distinct (the caller's fixed names); data with keys from outside goes through
/// an [`Object`] (duplicates merged) and [`ObjectWriter::raw`].
#[derive(Debug)]
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter::new()
    }
}

impl ObjectWriter {
    /// `{`.
    pub fn new() -> ObjectWriter {
        ObjectWriter {
            out: String::from("{"),
        }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(key, &mut self.out);
        self.out.push(':');
    }

    /// `"key":"value"`.
    pub fn string(mut self, key: &str, value: &str) -> ObjectWriter {
        self.key(key);
        write_string(value, &mut self.out);
        self
    }

    /// [`ObjectWriter::string`] when there is a value.
    pub fn opt_string(self, key: &str, value: Option<&str>) -> ObjectWriter {
        match value {
            Some(v) => self.string(key, v),
            None => self,
        }
    }

    /// `"key":true` or `false`.
    pub fn bool(mut self, key: &str, value: bool) -> ObjectWriter {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
        self
    }

    /// `"key":123`.
    pub fn int(mut self, key: &str, value: i64) -> ObjectWriter {
        self.key(key);
        self.out.push_str(&itoa(value));
        self
    }

    /// `"key":` and `json`, a JSON text made elsewhere (a nested object or list).
    pub fn raw(mut self, key: &str, json: &str) -> ObjectWriter {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// [`ObjectWriter::raw`] when there is a value.
    pub fn opt_raw(self, key: &str, json: Option<&str>) -> ObjectWriter {
        match json {
            Some(j) => self.raw(key, j),
            None => self,
        }
    }

    /// `}`: the text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped, the rest as is.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` as a JSON string literal: how messages quote values that came from outside (a kid, an
/// issuer), so a control character in them cannot forge lines, without `{:?}`'s Unicode
/// tables in the wasm.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(s, &mut out);
    out
}

/// Decimal text of an integer, without the formatting machinery.
pub fn itoa(n: i64) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(21);
    if n < 0 {
        s.push('-');
    }
    for &d in &digits[i..] {
        s.push(d as char);
    }
    s
}

#[cfg(test)]
mod tests {
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
        let keys: Vec<String> = (0..5000).map(|i| format!("\"k{i}\":{i}")).collect();
        let unique = format!("{{{}}}", keys.join(","));
        assert_eq!(parse_object(&unique).unwrap().len(), 5000);
        let twice = format!("{{{},\"k4321\":0}}", keys.join(","));
        let e = parse(&twice).unwrap_err();
        assert_eq!(e.what, "duplicate key");
        assert_eq!(&twice[e.at..e.at + 7], "\"k4321\"");
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
}
