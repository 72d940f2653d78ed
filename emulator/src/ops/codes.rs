//! Codes "sent" to a user (through the outbox): where they go, masked as Cognito masks a
//! destination, and how a code given back is checked.

use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{App, ClientMetadata, Code, Message, State};

/// `a***@e***`, as Cognito masks a destination.
pub(super) fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// `+*******1234`: every digit but the last four hidden, as Cognito masks a phone number.
pub(super) fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let hidden = digits.len().saturating_sub(4);
    let shown: String = digits[hidden..].iter().collect();
    format!("+{}{shown}", "*".repeat(hidden))
}

/// Who a code goes to, how, and why.
pub struct Outgoing<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    /// `email` (sent by email) or `phone_number` (sent by SMS).
    pub attribute: &'static str,
    /// The full address.
    pub address: &'a str,
    /// The outbox `kind`.
    pub kind: &'static str,
    pub client_metadata: Option<&'a ClientMetadata>,
}

impl<'a> Outgoing<'a> {
    /// A code mailed to the user's email.
    pub(super) fn email(
        pool_id: &'a str,
        username: &'a str,
        address: &'a str,
        kind: &'static str,
        client_metadata: Option<&'a ClientMetadata>,
    ) -> Outgoing<'a> {
        Outgoing {
            pool_id,
            username,
            attribute: "email",
            address,
            kind,
            client_metadata,
        }
    }
}

/// A new code, "sent" through the outbox; answers it with its `CodeDeliveryDetails`.
pub(super) fn issue_code(
    app: &App,
    state: &mut State,
    to: Outgoing<'_>,
    lifetime: f64,
) -> ApiResult<(Code, Value)> {
    let code = ids::code()?;
    let now = app.now();
    app.send(
        state,
        Message {
            pool_id: to.pool_id.to_owned(),
            username: to.username.to_owned(),
            destination: to.address.to_owned(),
            kind: to.kind,
            code: code.clone(),
            sent_at: now,
            medium: medium(to.attribute),
            attribute: to.attribute,
            client_metadata: to.client_metadata.cloned(),
        },
    );
    Ok((
        Code {
            code,
            expires: now + lifetime,
            tries_left: Code::TRIES,
        },
        delivery(to.attribute, to.address),
    ))
}

/// How a code for the attribute travels: `SMS` for `phone_number`, else `EMAIL`.
pub(super) fn medium(attribute: &str) -> &'static str {
    if attribute == "phone_number" {
        "SMS"
    } else {
        "EMAIL"
    }
}

/// `CodeDeliveryDetails` for a code sent to `address`, the value of `attribute`.
pub(super) fn delivery(attribute: &'static str, address: &str) -> Value {
    let destination = if attribute == "phone_number" {
        mask_phone(address)
    } else {
        mask_email(address)
    };
    json!({
        "Destination": destination,
        "DeliveryMedium": medium(attribute),
        "AttributeName": attribute,
    })
}

/// Checks a code against the stored one, consuming a try; the stored code is removed when it
/// is used, expired or out of tries.
pub(super) fn check_code(slot: &mut Option<Code>, given: &str, now: f64) -> ApiResult<()> {
    let Some(code) = slot.as_mut() else {
        return Err(ApiError::code_mismatch());
    };
    if now > code.expires {
        *slot = None;
        return Err(ApiError::expired_code());
    }
    if code.tries_left == 0 {
        *slot = None;
        return Err(too_many_failed_attempts());
    }
    if code.code.as_bytes() != given.as_bytes() {
        code.tries_left -= 1;
        if code.tries_left == 0 {
            *slot = None;
            return Err(too_many_failed_attempts());
        }
        return Err(ApiError::code_mismatch());
    }
    *slot = None;
    Ok(())
}

pub(super) fn too_many_failed_attempts() -> ApiError {
    ApiError::new(
        "TooManyFailedAttemptsException",
        "Too many failed attempts: request a new code.",
    )
}
