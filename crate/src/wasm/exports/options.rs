//! Reading what the driver passes: an options object (strictly: an unknown member is refused),
//! a list of arguments, and a fetch's outcome.

use crate::prelude::*;

use super::errors::invalid_input;
use crate::api::Pairs;
use crate::error::Error;
use crate::json::{self, Object, Value};
use crate::platform::HttpResponse;

/// What a fetch gave: an answer, or (`status` 0) why there was none, `kind` then being
/// `TimeoutError` or `NetworkError` and `body` the browser's message.
pub(super) fn response(status: u16, kind: &str, body: &str) -> Result<HttpResponse, Error> {
    match (status, kind) {
        (0, "TimeoutError") => Err(Error::Timeout),
        (0, _) => Err(Error::Network(body.to_owned())),
        _ => Ok(HttpResponse {
            status,
            body: body.to_owned(),
            error_type: Some(kind).filter(|k| !k.is_empty()).map(str::to_owned),
        }),
    }
}

/// An options object (as JSON), read strictly.
pub(super) struct Options {
    what: &'static str,
    pub(super) o: Object,
}

impl Options {
    /// `allowed`: every member name the options may have, in lists (one per object they are
    /// for); others are refused (a typo such as `clientID` must not silently mean "no client
    /// id").
    pub(super) fn read(
        what: &'static str,
        text: &str,
        allowed: &[&[&str]],
    ) -> Result<Options, String> {
        let o =
            json::parse_object(text).map_err(|_| invalid_input(&[what, " must be an object"]))?;
        let known = |k: &str| allowed.iter().any(|names| names.contains(&k));
        if let Some((k, _)) = o.iter().find(|(k, _)| !known(k)) {
            return Err(invalid_input(&[what, ": unknown option ", k]));
        }
        Ok(Options { what, o })
    }

    pub(super) fn wrong(&self, key: &str, expected: &str) -> String {
        invalid_input(&[self.what, ": ", key, " must be ", expected])
    }

    pub(super) fn opt_str(&self, key: &str) -> Result<Option<String>, String> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    pub(super) fn req_str(&self, key: &str) -> Result<String, String> {
        self.opt_str(key)?
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    pub(super) fn opt_bool(&self, key: &str) -> Result<(), String> {
        match self.o.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(_)) => Ok(()),
            Some(_) => Err(self.wrong(key, "a boolean")),
        }
    }

    pub(super) fn opt_count(&self, key: &str) -> Result<Option<u32>, String> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .filter(|_| v.to_json().bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number")),
        }
    }

    /// `string | string[]`.
    pub(super) fn strings(&self, key: &str) -> Result<Option<Vec<String>>, String> {
        match self.o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(Value::Array(a)) => {
                let mut list = Vec::with_capacity(a.len());
                for v in a {
                    let s = v.as_str();
                    let s = s.ok_or_else(|| self.wrong(key, "a string or a list of strings"))?;
                    list.push(s.to_owned());
                }
                Ok(Some(list))
            }
            Some(_) => Err(self.wrong(key, "a string or a list of strings")),
        }
    }
}

/// A method's arguments, as the JSON array the driver sends; `names` says what each is, for
/// messages.
pub(super) struct Args<'n> {
    values: Vec<Value>,
    names: &'n [&'n str],
}

impl<'n> Args<'n> {
    pub(super) fn read(text: &str, names: &'n [&'n str]) -> Result<Args<'n>, String> {
        match json::parse(text) {
            Ok(Value::Array(values)) => Ok(Args { values, names }),
            Ok(_) => Err(invalid_input(&["arguments must be a list"])),
            Err(e) => Err(invalid_input(&["arguments: ", &e.message()])),
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<&Value> {
        self.values.get(i).filter(|v| !matches!(v, Value::Null))
    }

    pub(super) fn name(&self, i: usize) -> &str {
        self.names.get(i).copied().unwrap_or("argument")
    }

    pub(super) fn opt_str(&self, i: usize) -> Result<Option<&str>, String> {
        match self.get(i) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(invalid_input(&[self.name(i), " must be a string"])),
        }
    }

    pub(super) fn str(&self, i: usize) -> Result<&str, String> {
        self.opt_str(i)?
            .ok_or_else(|| invalid_input(&[self.name(i), " must be a string"]))
    }

    /// A `Record<string, string>`.
    pub(super) fn pairs(&self, i: usize) -> Result<Pairs, String> {
        pairs_of(self.get(i), self.name(i))
    }
}

/// A `Record<string, string>` (absent: empty).
fn pairs_of(value: Option<&Value>, what: &str) -> Result<Pairs, String> {
    let mut pairs = Pairs::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => {
            for (k, v) in o.iter() {
                let v = v
                    .as_str()
                    .ok_or_else(|| invalid_input(&[what, ": ", k, " must be a string"]))?;
                pairs.push((k.clone(), v.to_owned()));
            }
        }
        Some(_) => return Err(invalid_input(&[what, " must be an object"])),
    }
    Ok(pairs)
}
