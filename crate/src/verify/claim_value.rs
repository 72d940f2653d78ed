//! [`ClaimValue`]: a claim as the token carries it, without the library's own JSON type.

use crate::prelude::*;

use core::fmt;

use crate::json::{self, Object, Value};

/// One claim's value, as the token carries it: JSON's kinds, numbers as written (nothing
/// rounded), objects' members in the token's order.
///
/// ```
/// use cognito_wasm::ClaimValue;
///
/// let groups = ClaimValue::Array(vec![ClaimValue::String("admins".into())]);
/// assert_eq!(groups.as_array().map(<[_]>::len), Some(1));
/// assert_eq!(ClaimValue::Number("1700000000".into()).as_i64(), Some(1_700_000_000));
/// assert_eq!(groups.to_string(), r#"["admins"]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written in the token (`1700000000`, `0.5`): [`ClaimValue::as_i64`] reads
    /// integers exactly.
    Number(String),
    /// A string.
    String(String),
    /// A list (`cognito:groups`, `amr`, ...).
    Array(Vec<ClaimValue>),
    /// An object (`identities`' entries, ...): its members in the token's order.
    Object(Vec<(String, ClaimValue)>),
}

impl ClaimValue {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ClaimValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ClaimValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is a number without an exponent that fits in an `i64` (a
    /// fraction rounded down, as RFC 7519's NumericDate allows one).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ClaimValue::Number(n) => json::parse(n).ok()?.as_i64(),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&[ClaimValue]> {
        match self {
            ClaimValue::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The member `name`, if this is an object that has it.
    pub fn get(&self, name: &str) -> Option<&ClaimValue> {
        match self {
            ClaimValue::Object(members) => members.iter().find(|(k, _)| k == name).map(|m| &m.1),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, ClaimValue::Null)
    }

    /// Compact JSON text (what `Display` writes too).
    pub fn to_json(&self) -> String {
        self.to_value().to_json()
    }

    pub(crate) fn from_value(value: &Value) -> ClaimValue {
        match value {
            Value::Null => ClaimValue::Null,
            Value::Bool(b) => ClaimValue::Bool(*b),
            Value::Number(n) => ClaimValue::Number(n.as_str().to_owned()),
            Value::String(s) => ClaimValue::String(s.clone()),
            Value::Array(items) => ClaimValue::Array(items.iter().map(Self::from_value).collect()),
            Value::Object(members) => ClaimValue::Object(members_of(members)),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            ClaimValue::Null => Value::Null,
            ClaimValue::Bool(b) => Value::Bool(*b),
            // Not a number's text (made by hand, not read from a token): `null`.
            ClaimValue::Number(n) => match json::parse(n) {
                Ok(number @ Value::Number(_)) => number,
                _ => Value::Null,
            },
            ClaimValue::String(s) => Value::String(s.clone()),
            ClaimValue::Array(items) => Value::Array(items.iter().map(Self::to_value).collect()),
            ClaimValue::Object(members) => object_value(members),
        }
    }
}

fn object_value(members: &[(String, ClaimValue)]) -> Value {
    Value::Object(
        members
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_value()))
            .collect(),
    )
}

/// Members as a JSON object's text.
#[cfg(feature = "serde")]
pub(crate) fn object_json(members: &[(String, ClaimValue)]) -> String {
    object_value(members).to_json()
}

/// An object's members as claim values, in order.
pub(crate) fn members_of(object: &Object) -> Vec<(String, ClaimValue)> {
    object
        .iter()
        .map(|(k, v)| (k.clone(), ClaimValue::from_value(v)))
        .collect()
}

impl fmt::Display for ClaimValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_convert_both_ways_as_written() {
        let text =
            r#"{"n":1.50,"big":123456789012345678901234,"l":[true,null,"x"],"o":{"b":1,"a":2}}"#;
        let object = json::parse_object(text).unwrap();
        let members = members_of(&object);
        assert_eq!(members[0], ("n".into(), ClaimValue::Number("1.50".into())));
        assert_eq!(members[0].1.as_i64(), Some(1));
        assert_eq!(members[1].1.as_i64(), None);
        assert_eq!(
            members[2].1.as_array().unwrap(),
            [
                ClaimValue::Bool(true),
                ClaimValue::Null,
                ClaimValue::String("x".into())
            ]
        );
        assert_eq!(members[3].1.get("a"), Some(&ClaimValue::Number("2".into())));
        assert_eq!(members[3].1.to_string(), r#"{"b":1,"a":2}"#);
        let whole = ClaimValue::Object(members);
        assert_eq!(whole.to_json(), text);
    }

    #[test]
    fn a_number_made_by_hand_that_is_not_one_writes_null() {
        assert_eq!(ClaimValue::Number("twelve".into()).to_json(), "null");
        assert_eq!(ClaimValue::Number("twelve".into()).as_i64(), None);
        assert_eq!(ClaimValue::String("1".into()).as_i64(), None);
    }
}
