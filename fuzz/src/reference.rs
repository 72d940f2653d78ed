//! The reference for the encoding crate's JSON: serde_json's grammar (numbers kept as written,
//! members in order) with the same deliberate strictness added, so that the two must agree
//! exactly: a repeated key refuses the document (serde_json's `Value` keeps the last), and so
//! do nesting deeper than [`MAX_DEPTH`] (serde_json allows 128) and an object of more than
//! `encoding::json::MAX_MEMBERS` members (serde_json has no bound).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

pub use encoding::json::MAX_DEPTH;

/// How serde_json's `arbitrary_precision` hands a number to a visitor: a map of one member.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A JSON document as serde_json reads it, members in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doc {
    Null,
    Bool(bool),
    /// As written (integers that fit in 64 bits in canonical form).
    Number(String),
    String(String),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

/// Why the reference refuses a document.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON (serde_json's verdict).
    Syntax(String),
    /// A key repeated in one object.
    DuplicateKey,
    /// Deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An object of more than `encoding::json::MAX_MEMBERS` members.
    TooManyMembers,
}

impl Doc {
    /// How deep arrays and objects nest (a scalar is 0).
    pub fn depth(&self) -> usize {
        match self {
            Doc::Array(items) => 1 + items.iter().map(Doc::depth).max().unwrap_or(0),
            Doc::Object(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// The most members of any object in the document (0 without objects).
    pub fn widest(&self) -> usize {
        match self {
            Doc::Array(items) => items.iter().map(Doc::widest).max().unwrap_or(0),
            Doc::Object(members) => members
                .iter()
                .map(|(_, v)| v.widest())
                .max()
                .unwrap_or(0)
                .max(members.len()),
            _ => 0,
        }
    }

    /// Whether `ours`, the encoding crate's value, is this document.
    pub fn matches(&self, ours: &encoding::json::Value) -> bool {
        use encoding::json::Value;
        match (self, ours) {
            (Doc::Null, Value::Null) => true,
            (Doc::Bool(a), Value::Bool(b)) => a == b,
            // serde_json writes an integer that fits in canonical form (`-0` is `0` there)
            // and an exponent as `e`, signed: the same number, in its spelling.
            (Doc::Number(a), Value::Number(b)) => {
                normal(a) == normal(b.as_str()) || (a == "0" && b.as_str() == "-0")
            }
            (Doc::String(a), Value::String(b)) => a == b,
            (Doc::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.matches(y))
            }
            (Doc::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.matches(vb))
            }
            _ => false,
        }
    }
}

/// A number's text with its exponent (if any) as `e`, a sign and digits without leading zeros.
fn normal(text: &str) -> String {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return text.to_owned();
    };
    let (sign, digits) = match exponent.as_bytes().first() {
        Some(b'-') => ("-", &exponent[1..]),
        Some(b'+') => ("+", &exponent[1..]),
        _ => ("+", exponent),
    };
    let digits = digits.trim_start_matches('0');
    format!(
        "{mantissa}e{sign}{}",
        if digits.is_empty() { "0" } else { digits }
    )
}

/// The reference's verdict on `text`.
pub fn parse(text: &str) -> Result<Doc, Refusal> {
    match serde_json::from_str::<Doc>(text) {
        Ok(doc) if doc.depth() > MAX_DEPTH => Err(Refusal::TooDeep),
        Ok(doc) if doc.widest() > encoding::json::MAX_MEMBERS => Err(Refusal::TooManyMembers),
        Ok(doc) => Ok(doc),
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(Refusal::DuplicateKey),
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => Err(Refusal::TooDeep),
        Err(e) => Err(Refusal::Syntax(e.to_string())),
    }
}

const DUPLICATE: &str = "duplicate key";

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Doc, D::Error> {
        d.deserialize_any(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_unit<E>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Doc, E> {
        Ok(Doc::Bool(b))
    }

    // serde_json gives integers that fit as such, and the others as text (`NUMBER_TOKEN`).
    fn visit_u64<E>(self, n: u64) -> Result<Doc, E> {
        Ok(Doc::Number(n.to_string()))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Doc, E> {
        Ok(Doc::Number(n.to_string()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Doc, E> {
        Ok(Doc::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Doc, E> {
        Ok(Doc::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Doc::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut members: Vec<(String, Doc)> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.is_empty() && key == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                return Ok(Doc::Number(text));
            }
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(DUPLICATE));
            }
            members.push((key, map.next_value()?));
        }
        Ok(Doc::Object(members))
    }
}

/// Whether the text might hold serde_json's private number token as a key (the one input on
/// which the reference cannot tell a number from an object).
pub fn ambiguous(text: &str) -> bool {
    text.contains("serde_json::private")
}
