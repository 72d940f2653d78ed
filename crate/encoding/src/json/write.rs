//! The writer: values, objects member by member, strings escaped, integers without `core::fmt`.

use alloc::string::String;

use super::Value;

pub(super) fn write_value(v: &Value, out: &mut String) {
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
/// results), no tree and no allocation per member, where an [`Object`](super::Object) costs two and a search.
/// Keys must be distinct (the caller's fixed names); data with keys from outside goes through
/// an [`Object`](super::Object) (duplicates merged) and [`ObjectWriter::raw`].
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
                // Below 0x20: `\u000X` or `\u001X` (arithmetic, not a table: no bounds check).
                let low = c as u8 & 15;
                out.push_str(if (c as u8) < 0x10 { "\\u000" } else { "\\u001" });
                out.push(
                    (if low < 10 {
                        b'0' + low
                    } else {
                        b'a' + low - 10
                    }) as char,
                );
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
#[allow(
    clippy::indexing_slicing,
    reason = "an i64 has at most 19 digits, so i stays in 1..20"
)]
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
