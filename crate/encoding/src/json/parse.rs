//! The parser: RFC 8259, strict (duplicate keys refused, nesting and objects bounded, numbers
//! kept as text), in time linear in the text's length (see [`MAX_MEMBERS`]).

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::{itoa, Number, Object, Value, MAX_DEPTH, MAX_MEMBERS};

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

/// Parses one JSON document (RFC 8259), refusing duplicate keys, nesting deeper than 64 and
/// objects of more than [`MAX_MEMBERS`] members.
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
pub(super) const SMALL_OBJECT: usize = 32;

/// The duplicate-key check of a large object, in document order: keys seen so far are kept
/// sorted (as indices) and each new one binary-searched, then inserted. n log n comparisons
/// and at most n²/2 index moves (memmove), fewer than [`MAX_MEMBERS`] per member: linear in
/// the text (sorting the keys once instead would cost 0.5 KB of gzip in every page, measured).
fn check_unique(members: &[(String, Value)], starts: &[usize]) -> Result<(), ParseError> {
    let mut seen: Vec<usize> = Vec::with_capacity(members.len());
    for (i, (key, _)) in members.iter().enumerate() {
        #[allow(
            clippy::indexing_slicing,
            reason = "seen holds indices of members only"
        )]
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
        if self
            .b
            .get(self.i..)
            .is_some_and(|b| b.starts_with(word.as_bytes()))
        {
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
            if members.len() == MAX_MEMBERS {
                return Err(self.err("too many members"));
            }
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
