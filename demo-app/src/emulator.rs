//! What only the local emulator offers: `/health` (to know we talk to it), DescribeUserPool
//! without credentials (the real password policy), the outbox of codes it "sent", and
//! AdminCreateUser with its admin header (on AWS an administrator's call, signed with IAM
//! credentials a page must not hold).

use cognito_wasm::wasm::WebPlatform;
use cognito_wasm::{CognitoException, Error, Platform};
use serde_json::{json, Value};

use crate::errors::Failure;
use crate::net;
use crate::policy::PasswordPolicy;

/// The header the emulator wants on its own routes (`/_emulator/*`) and its admin calls.
const ADMIN_HEADER: &str = "x-cognito-emulator-admin";

/// Whether `endpoint` is the local emulator: its `/health` answers `{"status":"ok"}`. Real
/// Cognito has no such route, so a 404, an error or silence all mean "no".
pub async fn detect(endpoint: &str) -> bool {
    let url = format!("{endpoint}/health");
    match net::get(&url, &[], 3_000).await {
        Ok(a) if a.status == 200 => serde_json::from_str::<Value>(&a.body)
            .ok()
            .and_then(|v| v.get("status").and_then(Value::as_str).map(|s| s == "ok"))
            .unwrap_or(false),
        _ => false,
    }
}

/// The pool's password policy by DescribeUserPool, an admin call that AWS signs with IAM
/// credentials but the emulator answers unauthenticated.
pub async fn password_policy(endpoint: &str, pool_id: &str) -> Result<PasswordPolicy, Failure> {
    let answer = WebPlatform::new(5_000)
        .post_json(
            endpoint,
            "AWSCognitoIdentityProviderService.DescribeUserPool",
            json!({ "UserPoolId": pool_id }).to_string(),
        )
        .await?;
    if answer.status != 200 {
        return Err(cognito_failure(answer.status, &answer.body));
    }
    let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
    crate::policy::from_describe(&body).ok_or_else(|| {
        Failure::new(
            "MalformedResponseError",
            "DescribeUserPool gave no password policy",
        )
    })
}

/// AdminCreateUser: `username` with `email` (verified), a temporary password mailed to the
/// outbox; the first sign-in then asks for a new password (NEW_PASSWORD_REQUIRED).
pub async fn admin_create_user(
    endpoint: &str,
    pool_id: &str,
    username: &str,
    email: &str,
) -> Result<(), Failure> {
    let body = json!({
        "UserPoolId": pool_id,
        "Username": username,
        "UserAttributes": [
            { "Name": "email", "Value": email },
            { "Name": "email_verified", "Value": "true" },
        ],
        "DesiredDeliveryMediums": ["EMAIL"],
    });
    let headers = [
        (
            "x-amz-target",
            "AWSCognitoIdentityProviderService.AdminCreateUser",
        ),
        (ADMIN_HEADER, "1"),
    ];
    let answer = net::post_json(endpoint, &headers, &body.to_string(), 5_000).await?;
    if answer.status == 200 {
        return Ok(());
    }
    Err(cognito_failure(answer.status, &answer.body))
}

/// Cognito's error in an answer of `status` (not 200): its `__type` and `message`.
fn cognito_failure(status: u16, body: &str) -> Failure {
    let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    Error::Cognito {
        exception: CognitoException::from_type(&text("__type")),
        message: text("message"),
        status,
    }
    .into()
}

/// One code the emulator "sent".
#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    pub username: String,
    /// The full address.
    pub destination: String,
    /// `confirm_sign_up`, `forgot_password`, `verify_attribute`, `admin_create_user` (the
    /// code is a temporary password) or `mfa` (a sign-in's code).
    pub kind: String,
    pub code: String,
    /// Epoch seconds.
    pub sent_at: f64,
}

impl Mail {
    /// The kind in words.
    pub fn kind_text(&self) -> &str {
        match self.kind.as_str() {
            "confirm_sign_up" => "Sign-up code",
            "forgot_password" => "Password reset code",
            "verify_attribute" => "Email verification code",
            "admin_create_user" => "Temporary password",
            "mfa" => "Sign-in code",
            other => other,
        }
    }
}

/// Moves the emulator's clock `seconds` forward (0: only reads it); its time after, in
/// seconds since the epoch. The page's clock follows it (`time::align`), so that the page
/// judges the emulator's tokens on the emulator's time.
pub async fn advance_clock(endpoint: &str, seconds: u64) -> Result<f64, Failure> {
    let url = format!("{endpoint}/_emulator/clock");
    let body = json!({ "advance_seconds": seconds }).to_string();
    let answer = net::post_json(&url, &[(ADMIN_HEADER, "1")], &body, 3_000).await?;
    let now = serde_json::from_str::<Value>(&answer.body)
        .ok()
        .and_then(|v| v.get("now").and_then(Value::as_f64));
    match now {
        Some(now) if answer.status == 200 => Ok(now),
        _ => Err(Failure::new(
            "NetworkError",
            format!("the emulator's clock answered HTTP {}", answer.status),
        )),
    }
}

/// The pool's outbox, newest first.
pub async fn outbox(endpoint: &str, pool_id: &str) -> Result<Vec<Mail>, Failure> {
    let url = format!(
        "{endpoint}/_emulator/outbox?pool_id={}",
        String::from(js_sys::encode_uri_component(pool_id))
    );
    // The emulator's own routes want its admin header; the page is on a loopback origin, so
    // the emulator lets it through the preflight.
    let answer = net::get(&url, &[(ADMIN_HEADER, "1")], 3_000).await?;
    if answer.status != 200 {
        return Err(Failure::new(
            "NetworkError",
            format!("the outbox answered HTTP {}", answer.status),
        ));
    }
    let list: Vec<Value> = serde_json::from_str(&answer.body)
        .map_err(|e| Failure::new("MalformedResponseError", format!("the outbox: {e}")))?;
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let mut mails: Vec<Mail> = list
        .iter()
        .map(|v| Mail {
            username: text(v, "username"),
            destination: text(v, "destination"),
            kind: text(v, "kind"),
            code: text(v, "code"),
            sent_at: v.get("sent_at").and_then(Value::as_f64).unwrap_or(0.0),
        })
        .collect();
    mails.reverse();
    Ok(mails)
}
