//! A small JSON value, parser and writer: all the JSON this library reads and writes.
//!
//! Cognito's requests and answers, JWT headers and payloads and JWKS documents are small,
//! flat and mostly strings. `serde_json` and the `serde` derives for two dozen wire structs
//! cost the browser build about 60 KB of wasm; this module costs a few. It is also stricter
//! where strictness is a security property: duplicate object keys are refused (a token whose
//! payload says `"sub"` twice means different things to different parsers), nesting is
//! bounded (no stack overflow from input), objects have at most [`MAX_MEMBERS`] members (the
//! parser's work stays linear in the text), and numbers keep their exact text (no float
//! rounding of claims; integer claims are read as integers).

mod parse;
mod write;

pub use parse::{parse, parse_object, ParseError};
use write::write_value;
pub use write::{itoa, quoted, write_string, ObjectWriter};

#[cfg(test)]
mod linear_tests;
#[cfg(test)]
mod tests;

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// How deep arrays and objects may nest; the parser refuses deeper ("too deep"). Cognito's
/// deepest document is 3 levels; the bound keeps the recursive parser's stack small.
pub const MAX_DEPTH: usize = 64;

/// How many members an object may have; the parser refuses more ("too many members").
///
/// Cognito's objects have a few dozen members at most (a token's claims; a user's
/// attributes, read into an object: a pool has at most 50 custom ones). The bound keeps the
/// duplicate-key check linear in the text: it keeps the keys seen so far sorted, and each
/// insertion moves up to n indices in an object of n members. Unbounded, a token header of
/// 37,500 keys in descending order took 80 ms natively, 700 million moves; with the bound,
/// no member costs more than 1024 moves (a 4 KB memmove in wasm) and a binary search.
pub const MAX_MEMBERS: usize = 1024;

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
        // The text passed the number grammar: `-`? digits (`.` digits)? (`e` ...)?. One pass
        // over its bytes (a `str` search per part cost 0.5 KB of wasm).
        let text = self.0.as_bytes();
        let (negative, rest) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let mut value: i64 = 0;
        let mut at = 0;
        while let Some(&b) = rest.get(at).filter(|b| b.is_ascii_digit()) {
            let d = i64::from(b - b'0');
            value = value.checked_mul(10)?;
            value = if negative {
                value.checked_sub(d)?
            } else {
                value.checked_add(d)?
            };
            at += 1;
        }
        match rest.get(at) {
            None => Some(value),
            Some(b'.') => {
                let fraction = rest.get(at + 1..).unwrap_or_default();
                if fraction.iter().any(|b| !b.is_ascii_digit()) {
                    None // an exponent
                } else if negative && fraction.iter().any(|&b| b != b'0') {
                    value.checked_sub(1)
                } else {
                    Some(value)
                }
            }
            Some(_) => None, // an exponent
        }
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
    ///
    /// A search of the members per member, n²/2 comparisons: for a few members, or at most
    /// [`MAX_MEMBERS`] from untrusted text (a user's attributes: the answer's reader refuses
    /// more), half a million at worst. A sorted index as the parser's would cost 0.4 KB of
    /// gzip in every page (measured).
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
