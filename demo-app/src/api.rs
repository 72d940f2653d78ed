//! The practical's last step: `GET {api}/api/videos` on the demo API (demo-app/api), which
//! answers only requests carrying a valid access token.
//!
//! Contract: 200 `{"user": {"username", "sub"}, "videos": [{"id", "title"}]}`, or
//! `{"error", "reason"}` with 401 (`unauthorized`: no, a malformed or a refused token), 503
//! (`unavailable`: the pool's keys cannot be fetched now) or 500 (`internal`).

use serde_json::Value;

use crate::errors::Failure;
use crate::net;

/// The API's answer, kept for display.
#[derive(Clone, PartialEq)]
pub struct ApiAnswer {
    pub status: u16,
    pub status_text: String,
    /// Whether the call carried a token.
    pub with_token: bool,
    /// The body parsed, if it was JSON.
    pub json: Option<Value>,
    /// The body as sent (shown when it is not JSON).
    pub body: String,
}

impl ApiAnswer {
    /// `user.username` of a 200.
    pub fn username(&self) -> Option<&str> {
        self.json.as_ref()?.get("user")?.get("username")?.as_str()
    }

    /// `(id, title)` of each video of a 200.
    pub fn videos(&self) -> Vec<(String, String)> {
        let text = |v: &Value, k: &str| match v.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        self.json
            .as_ref()
            .and_then(|j| j.get("videos"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|v| (text(v, "id"), text(v, "title")))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `reason` of a 401.
    pub fn reason(&self) -> Option<&str> {
        self.json.as_ref()?.get("reason")?.as_str()
    }

    /// The body for display: pretty JSON, or the text as sent.
    pub fn pretty(&self) -> String {
        self.json
            .as_ref()
            .and_then(|j| serde_json::to_string_pretty(j).ok())
            .unwrap_or_else(|| self.body.clone())
    }
}

/// Calls `GET {api_url}/api/videos`, with the access token when given.
pub async fn videos(api_url: &str, access_token: Option<&str>) -> Result<ApiAnswer, Failure> {
    let url = format!("{}/api/videos", api_url.trim_end_matches('/'));
    let bearer = access_token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("authorization", b.as_str()))
        .collect();
    let answer = net::get(&url, &headers, 10_000).await?;
    Ok(ApiAnswer {
        status: answer.status,
        status_text: answer.status_text,
        with_token: access_token.is_some(),
        json: serde_json::from_str(&answer.body).ok(),
        body: answer.body,
    })
}
