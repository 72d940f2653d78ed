//! Reading a request: its members into a type (with Cognito's errors for a missing or
//! mistyped member), its auth parameters, its username; and the `{Name, Value}` attributes'
//! wire form, read from a request and written into an answer.

use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};

/// Deserializes a request: a missing member is Cognito's `InvalidParameterException`, a member
/// of the wrong type a `SerializationException`. A `null` member is an absent one, as in AWS's
/// JSON protocol: ACIJ sends `"DEVICE_KEY": null` in every browser refresh.
pub(super) fn parse<T: DeserializeOwned>(mut body: Value) -> ApiResult<T> {
    strip_nulls(&mut body);
    serde_json::from_value(body).map_err(|e| {
        let text = e.to_string();
        match text.strip_prefix("missing field `") {
            Some(rest) => {
                let field = rest.split('`').next().unwrap_or(rest);
                ApiError::invalid_parameter(format!(
                    "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
                ))
            }
            None => ApiError::new("SerializationException", text),
        }
    })
}

/// A challenge's or an auth flow's parameter, required (`AuthParameters`,
/// `ChallengeResponses`).
pub(super) fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> ApiResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}

pub(super) fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

pub(super) fn attributes_json(attributes: &BTreeMap<String, String>) -> Value {
    Value::Array(
        attributes
            .iter()
            .map(|(k, v)| json!({ "Name": k, "Value": v }))
            .collect(),
    )
}

/// `{Name, Value}` list from a request into a map, rejecting duplicates.
pub(super) fn attributes_from(list: &[NameValue]) -> ApiResult<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for a in list {
        if map.insert(a.name.clone(), a.value.clone()).is_some() {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate attribute: {}",
                a.name
            )));
        }
    }
    Ok(map)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// A username Cognito would accept: 1-128 characters, no whitespace or control characters.
pub(super) fn check_username(username: &str) -> ApiResult<()> {
    let len = username.chars().count();
    if len == 0
        || len > 128
        || username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(())
}
