//! The `serde` feature's hand-written parts: name-value pairs as maps (in order), a
//! [`ClaimValue`] as the JSON value it is, and [`Claims`] as the token's claims object (the
//! typed fields read back from it). The answer types derive theirs.

use std::fmt;
use std::string::{String, ToString};
use std::vec::Vec;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::verify::{ClaimValue, Claims};

/// `Vec<(String, String)>` (challenge parameters, user attributes) as a map, in order.
pub(crate) mod pairs {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        pairs: &[(String, String)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, String)>, D::Error> {
        deserializer.deserialize_map(Members::<String>::new("a map of strings"))
    }
}

/// A map's members in order, a name twice refused (as the library's JSON refuses it).
struct Members<V> {
    expecting: &'static str,
    value: core::marker::PhantomData<V>,
}

impl<V> Members<V> {
    fn new(expecting: &'static str) -> Members<V> {
        Members {
            expecting,
            value: core::marker::PhantomData,
        }
    }
}

impl<'de, V: Deserialize<'de>> Visitor<'de> for Members<V> {
    type Value = Vec<(String, V)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members: Vec<(String, V)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((name, value)) = map.next_entry::<String, V>()? {
            if members.iter().any(|(k, _)| *k == name) {
                return Err(de::Error::custom(format_args!("{name} appears twice")));
            }
            members.push((name, value));
        }
        Ok(members)
    }
}

impl Serialize for ClaimValue {
    /// As the JSON value it is. A number goes out as an integer when its text is one, else as
    /// a float (so `1.50` comes back as `1.5`); a `Number` made by hand that is not a number
    /// goes out as `null`, as [`ClaimValue::to_json`] writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ClaimValue::Null => serializer.serialize_unit(),
            ClaimValue::Bool(b) => serializer.serialize_bool(*b),
            ClaimValue::Number(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    serializer.serialize_i64(i)
                } else if let Ok(u) = n.parse::<u64>() {
                    serializer.serialize_u64(u)
                } else if let Some(f) = n.parse::<f64>().ok().filter(|f| f.is_finite()) {
                    serializer.serialize_f64(f)
                } else {
                    serializer.serialize_unit()
                }
            }
            ClaimValue::String(s) => serializer.serialize_str(s),
            ClaimValue::Array(items) => serializer.collect_seq(items),
            ClaimValue::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for ClaimValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ClaimValue, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ClaimValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<ClaimValue, E> {
        Ok(ClaimValue::Null)
    }

    fn visit_none<E>(self) -> Result<ClaimValue, E> {
        Ok(ClaimValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ClaimValue, D::Error> {
        ClaimValue::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<ClaimValue, E> {
        Ok(ClaimValue::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<ClaimValue, E> {
        Ok(ClaimValue::Number(n.to_string()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<ClaimValue, E> {
        Ok(ClaimValue::Number(n.to_string()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<ClaimValue, E> {
        if n.is_finite() {
            // Rust writes a float in full, without an exponent: valid JSON.
            Ok(ClaimValue::Number(n.to_string()))
        } else {
            Err(E::custom("a claim's number must be finite"))
        }
    }

    fn visit_str<E>(self, s: &str) -> Result<ClaimValue, E> {
        Ok(ClaimValue::String(s.into()))
    }

    fn visit_string<E>(self, s: String) -> Result<ClaimValue, E> {
        Ok(ClaimValue::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ClaimValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(ClaimValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ClaimValue, A::Error> {
        Members::new("a JSON value")
            .visit_map(map)
            .map(ClaimValue::Object)
    }
}

impl Serialize for Claims {
    /// As the token's claims object: every claim, in the token's order (the typed fields are
    /// read from it again by `Deserialize`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Claims {
    /// From a claims object, as [`Claims`] serializes: the typed fields are read from it and
    /// must be there (`sub`, `iss`, `token_use`, `exp`, and `aud` or `client_id`). Nothing is
    /// verified: these are claims you had verified and stored.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Claims, D::Error> {
        let all = deserializer.deserialize_map(Members::<ClaimValue>::new("a claims object"))?;
        Claims::from_claims(all).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Challenge, CodeDelivery, SignInResult, SignUpResult, Tokens, User};
    use serde_json::json;
    use std::borrow::ToOwned;
    use std::vec;

    fn tokens() -> Tokens {
        Tokens {
            id_token: "eyJ.id.sig".into(),
            access_token: "eyJ.access.sig".into(),
            refresh_token: Some("opaque-refresh".into()),
            expires_in: 3600,
            token_type: "Bearer".into(),
        }
    }

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug>(
        value: &T,
        expected: serde_json::Value,
    ) {
        // Through text: a `serde_json::Value` would sort the maps.
        let text = serde_json::to_string(value).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            expected
        );
        let back: T = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, value);
    }

    #[test]
    fn tokens_serialize_in_full_and_stay_redacted_in_debug() {
        let t = tokens();
        round_trip(
            &t,
            json!({
                "id_token": "eyJ.id.sig", "access_token": "eyJ.access.sig",
                "refresh_token": "opaque-refresh", "expires_in": 3600, "token_type": "Bearer",
            }),
        );
        let debug = std::format!("{t:?}");
        assert!(
            !debug.contains("eyJ") && !debug.contains("opaque"),
            "{debug}"
        );
        // A refresh's answer has no refresh token: null, and absent reads as None too.
        let refreshed: Tokens = serde_json::from_value(json!({
            "id_token": "i", "access_token": "a", "expires_in": 60, "token_type": "Bearer",
        }))
        .unwrap();
        assert_eq!(refreshed.refresh_token, None);
    }

    #[test]
    fn sign_in_results_are_tagged_by_kind() {
        round_trip(
            &SignInResult::Tokens(tokens()),
            json!({ "tokens": serde_json::to_value(tokens()).unwrap() }),
        );
        let challenge = Challenge {
            name: "SMS_MFA".into(),
            session: Some("session".into()),
            parameters: vec![
                ("CODE_DELIVERY_DESTINATION".into(), "+*******1234".into()),
                ("CODE_DELIVERY_DELIVERY_MEDIUM".into(), "SMS".into()),
            ],
        };
        round_trip(
            &SignInResult::Challenge(challenge.clone()),
            json!({ "challenge": {
                "name": "SMS_MFA", "session": "session",
                "parameters": {
                    "CODE_DELIVERY_DESTINATION": "+*******1234",
                    "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                },
            }}),
        );
        let twice = r#"{"name":"X","session":null,"parameters":{"A":"1","A":"2"}}"#;
        let e = serde_json::from_str::<Challenge>(twice).unwrap_err();
        assert!(e.to_string().contains("A appears twice"), "{e}");
    }

    #[test]
    fn users_sign_ups_and_code_deliveries_round_trip() {
        let delivery = CodeDelivery {
            destination: Some("a***@e***".into()),
            delivery_medium: Some("EMAIL".into()),
            attribute_name: Some("email".into()),
        };
        round_trip(
            &delivery,
            json!({
                "destination": "a***@e***", "delivery_medium": "EMAIL", "attribute_name": "email",
            }),
        );
        round_trip(
            &SignUpResult {
                user_confirmed: false,
                user_sub: "0000-sub".into(),
                code_delivery: Some(delivery.clone()),
            },
            json!({
                "user_confirmed": false, "user_sub": "0000-sub",
                "code_delivery": serde_json::to_value(&delivery).unwrap(),
            }),
        );
        round_trip(
            &User {
                username: "alice".into(),
                attributes: vec![
                    ("sub".into(), "0000-sub".into()),
                    ("email".into(), "alice@example.com".into()),
                ],
                mfa_settings: vec!["SOFTWARE_TOKEN_MFA".into()],
                preferred_mfa: Some("SOFTWARE_TOKEN_MFA".into()),
            },
            json!({
                "username": "alice",
                "attributes": { "sub": "0000-sub", "email": "alice@example.com" },
                "mfa_settings": ["SOFTWARE_TOKEN_MFA"],
                "preferred_mfa": "SOFTWARE_TOKEN_MFA",
            }),
        );
    }

    fn claims_json() -> &'static str {
        r#"{"sub":"0000-sub","cognito:groups":["admins"],"email_verified":true,"iss":"https://issuer","cognito:username":"alice","aud":"client","token_use":"id","auth_time":1700000000,"exp":1700003600,"iat":1700000000,"email":"alice@example.com","custom:ratio":0.5,"identities":[{"providerName":"Google"}],"nothing":null}"#
    }

    #[test]
    fn claims_serialize_as_the_tokens_claims_and_read_back_their_fields() {
        let claims: Claims = serde_json::from_str(claims_json()).unwrap();
        assert_eq!(claims.sub, "0000-sub");
        assert_eq!(claims.iss, "https://issuer");
        assert_eq!(claims.token_use, "id");
        assert_eq!(claims.client_id, "client");
        assert_eq!(claims.exp, 1_700_003_600);
        assert_eq!(claims.iat, Some(1_700_000_000));
        assert_eq!(claims.auth_time, Some(1_700_000_000));
        assert_eq!(claims.username.as_deref(), Some("alice"));
        assert_eq!(claims.groups, ["admins"]);
        assert_eq!(claims.email.as_deref(), Some("alice@example.com"));
        assert_eq!(claims.json, claims_json());
        assert_eq!(
            claims.claim("custom:ratio"),
            Some(&ClaimValue::Number("0.5".into()))
        );
        // Out as the claims object, in the token's order; and back, equal.
        assert_eq!(serde_json::to_string(&claims).unwrap(), claims_json());
        let back: Claims = serde_json::from_str(&serde_json::to_string(&claims).unwrap()).unwrap();
        assert_eq!(back, claims);
    }

    #[test]
    fn claims_without_their_required_fields_are_refused() {
        for missing in ["sub", "iss", "token_use", "exp", "aud"] {
            let mut v: serde_json::Value = serde_json::from_str(claims_json()).unwrap();
            v.as_object_mut().unwrap().remove(missing);
            let e = serde_json::from_value::<Claims>(v).unwrap_err();
            assert!(e.to_string().contains(missing), "{missing}: {e}");
        }
        let access = json!({
            "sub": "s", "iss": "i", "token_use": "access", "exp": 1, "client_id": "c",
            "username": "bob", "cognito:groups": "admins",
        });
        let e = serde_json::from_value::<Claims>(access.clone()).unwrap_err();
        assert!(e.to_string().contains("cognito:groups"), "{e}");
        let mut access = access;
        access.as_object_mut().unwrap().remove("cognito:groups");
        let claims: Claims = serde_json::from_value(access).unwrap();
        assert_eq!(
            (claims.client_id.as_str(), claims.username.as_deref()),
            ("c", Some("bob"))
        );
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a","sub":"b"}"#).is_err());
    }

    #[test]
    fn claims_decode_into_the_callers_type() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Mine<'a> {
            sub: &'a str,
            email_verified: bool,
            #[serde(rename = "cognito:groups")]
            groups: Vec<String>,
            #[serde(rename = "custom:ratio")]
            ratio: f64,
        }
        let claims: Claims = serde_json::from_str(claims_json()).unwrap();
        let mine: Mine<'_> = claims.deserialize_into().unwrap();
        assert_eq!(
            mine,
            Mine {
                sub: "0000-sub",
                email_verified: true,
                groups: vec!["admins".to_owned()],
                ratio: 0.5,
            }
        );
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct WantsATenant {
            tenant: String,
        }
        let e = claims.deserialize_into::<WantsATenant>().unwrap_err();
        assert!(e.to_string().contains("tenant"), "{e}");
    }

    #[test]
    fn claim_values_are_json_values() {
        let v: ClaimValue =
            serde_json::from_str(r#"{"a":[1,-2,18446744073709551615,2.5,null,true,"x"]}"#).unwrap();
        assert_eq!(
            v.get("a").and_then(ClaimValue::as_array).map(<[_]>::len),
            Some(7)
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":[1,-2,18446744073709551615,2.5,null,true,"x"]}"#
        );
        assert_eq!(
            serde_json::to_string(&ClaimValue::Number("1.50".into())).unwrap(),
            "1.5"
        );
        assert_eq!(
            serde_json::to_string(&ClaimValue::Number("NaN".into())).unwrap(),
            "null"
        );
    }
}
