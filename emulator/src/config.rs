//! Pools and clients created at start from a JSON file whose entries are CreateUserPool and
//! CreateUserPoolClient requests (plus fixed ids), and a pool's `MfaConfig`, a
//! SetUserPoolMfaConfig request (CreateUserPool cannot turn on authenticator apps or email
//! codes), so the config and the API share one path.

use serde_json::Value;

use crate::ops::{create_user_pool, create_user_pool_client, set_user_pool_mfa_config};
use crate::state::App;

/// Creates what the file describes; returns one line per pool and client for the log.
pub fn load(app: &App, path: &str) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let config: Value =
        serde_json::from_str(&text).map_err(|e| format!("{path} is not valid JSON: {e}"))?;
    let pools = config
        .get("UserPools")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{path}: expected {{\"UserPools\": [...]}}"))?;
    let mut lines = Vec::new();
    for pool in pools {
        let created = create_user_pool(app, pool.clone()).map_err(|e| format!("{path}: {e}"))?;
        let pool_id = created["UserPool"]["Id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        lines.push(format!("pool {pool_id}"));
        if let Some(mfa) = pool.get("MfaConfig") {
            let mut mfa = mfa.clone();
            if let Some(obj) = mfa.as_object_mut() {
                obj.insert("UserPoolId".into(), Value::String(pool_id.clone()));
            }
            let request = serde_json::from_value(mfa)
                .map_err(|e| format!("{path}: MfaConfig of {pool_id}: {e}"))?;
            set_user_pool_mfa_config(app, request).map_err(|e| format!("{path}: {e}"))?;
        }
        for client in pool
            .get("Clients")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut client = client.clone();
            if let Some(obj) = client.as_object_mut() {
                obj.insert("UserPoolId".into(), Value::String(pool_id.clone()));
            }
            let created =
                create_user_pool_client(app, client).map_err(|e| format!("{path}: {e}"))?;
            let c = &created["UserPoolClient"];
            lines.push(format!(
                "client {} in {pool_id} ({}, {})",
                c["ClientId"].as_str().unwrap_or_default(),
                c["ClientName"].as_str().unwrap_or_default(),
                if c.get("ClientSecret").is_some() {
                    "with secret"
                } else {
                    "no secret"
                },
            ));
        }
    }
    Ok(lines)
}
