//! Setting up pools and clients: CreateUserPool, CreateUserPoolClient and their Describe calls.
//! Unauthenticated: the emulator binds loopback by default.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::attributes::is_standard_attribute;
use super::request::parse;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{App, Client, PasswordPolicy, Pool, SchemaEntry};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPool {
    pub pool_name: String,
    /// Not in Cognito's API: a fixed id, for config files (the demo's seeded pool).
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub policies: Option<Policies>,
    #[serde(default)]
    pub schema: Vec<SchemaAttribute>,
    #[serde(default)]
    pub auto_verified_attributes: Vec<String>,
    #[serde(default)]
    pub username_attributes: Vec<String>,
    #[serde(default)]
    pub username_configuration: Option<UsernameConfiguration>,
    #[serde(default)]
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettings>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    #[serde(default)]
    pub password_policy: Option<PasswordPolicyRequest>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicyRequest {
    pub minimum_length: Option<usize>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_symbols: Option<bool>,
    pub temporary_password_validity_days: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    pub name: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default = "yes")]
    pub mutable: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAttributeUpdateSettings {
    #[serde(default)]
    pub attributes_require_verification_before_update: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfiguration {
    pub case_sensitive: bool,
}

pub fn create_user_pool(app: &App, mut raw: Value) -> ApiResult<Value> {
    let req: CreateUserPool = parse(raw.clone())?;
    if let Some(obj) = raw.as_object_mut() {
        obj.remove("Clients");
    }
    if req.pool_name.is_empty() || req.pool_name.len() > 128 {
        return Err(ApiError::invalid_parameter(
            "PoolName must be 1 to 128 characters",
        ));
    }
    if !req.username_attributes.is_empty() {
        return Err(ApiError::invalid_parameter(
            "The emulator supports username sign-in only (UsernameAttributes must be empty)",
        ));
    }
    let password_policy = req.policies.and_then(|p| p.password_policy);
    let temporary_days = password_policy
        .as_ref()
        .and_then(|p| p.temporary_password_validity_days)
        .unwrap_or(7);
    if temporary_days > 365 {
        return Err(ApiError::invalid_parameter(
            "TemporaryPasswordValidityDays must be between 0 and 365",
        ));
    }
    let policy = match password_policy {
        None => PasswordPolicy::default(),
        Some(p) => {
            let d = PasswordPolicy::default();
            let policy = PasswordPolicy {
                minimum_length: p.minimum_length.unwrap_or(d.minimum_length),
                require_uppercase: p.require_uppercase.unwrap_or(false),
                require_lowercase: p.require_lowercase.unwrap_or(false),
                require_numbers: p.require_numbers.unwrap_or(false),
                require_symbols: p.require_symbols.unwrap_or(false),
            };
            if !(6..=99).contains(&policy.minimum_length) {
                return Err(ApiError::invalid_parameter(
                    "MinimumLength must be between 6 and 99",
                ));
            }
            policy
        }
    };
    let mut schema = BTreeMap::new();
    for a in &req.schema {
        let name = if is_standard_attribute(&a.name) || a.name.starts_with("custom:") {
            a.name.clone()
        } else {
            format!("custom:{}", a.name)
        };
        if a.required && name.starts_with("custom:") {
            return Err(ApiError::invalid_parameter(
                "Required custom attributes are not supported.",
            ));
        }
        schema.insert(
            name,
            SchemaEntry {
                required: a.required,
                mutable: a.mutable,
            },
        );
    }
    for attr in &req.auto_verified_attributes {
        if attr != "email" && attr != "phone_number" {
            return Err(ApiError::invalid_parameter(format!(
                "AutoVerifiedAttributes may only contain email and phone_number, not {attr}"
            )));
        }
    }
    let verify_before_update = req
        .user_attribute_update_settings
        .map(|s| s.attributes_require_verification_before_update)
        .unwrap_or_default();
    for attr in &verify_before_update {
        if attr != "email" && attr != "phone_number" {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '[{attr}]' at 'userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate' failed to satisfy constraint: Member must satisfy enum value set: [phone_number, email]"
            )));
        }
        if !req.auto_verified_attributes.contains(attr) {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid user attribute update settings: {attr} must also be in AutoVerifiedAttributes to require verification before update."
            )));
        }
    }
    let now = app.now();
    let mut state = app.lock();
    let id = match req.id {
        Some(id) => {
            if !valid_pool_id(&id) {
                return Err(ApiError::invalid_parameter(format!(
                    "Pool id {id} is not shaped like region_Name (e.g. us-east-1_AbC123xyz)"
                )));
            }
            if state.pools.contains_key(&id) {
                return Err(ApiError::invalid_parameter(format!(
                    "User pool {id} already exists."
                )));
            }
            id
        }
        None => loop {
            let id = ids::pool_id(&app.settings.region)?;
            if !state.pools.contains_key(&id) {
                break id;
            }
        },
    };
    let pool = Pool {
        id: id.clone(),
        name: req.pool_name,
        created: now,
        policy,
        schema,
        auto_verified: req.auto_verified_attributes,
        verify_before_update,
        case_sensitive: req.username_configuration.is_some_and(|c| c.case_sensitive),
        clients: BTreeMap::new(),
        users: Default::default(),
        request: raw,
        mfa: Default::default(),
        temporary_password_validity: temporary_days as f64 * 86_400.0,
    };
    let described = describe_pool(app, &pool);
    state.pools.insert(id, pool);
    Ok(json!({ "UserPool": described }))
}

fn valid_pool_id(id: &str) -> bool {
    match id.split_once('_') {
        Some((region, name)) => {
            !region.is_empty()
                && region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

fn describe_pool(app: &App, pool: &Pool) -> Value {
    let mut out = pool.request.clone();
    let region = pool.id.split('_').next().unwrap_or("us-east-1");
    let extra = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": format!("arn:aws:cognito-idp:{region}:000000000000:userpool/{}", pool.id),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.created,
        "EstimatedNumberOfUsers": pool.users.len(),
        "Policies": { "PasswordPolicy": {
            "MinimumLength": pool.policy.minimum_length,
            "RequireUppercase": pool.policy.require_uppercase,
            "RequireLowercase": pool.policy.require_lowercase,
            "RequireNumbers": pool.policy.require_numbers,
            "RequireSymbols": pool.policy.require_symbols,
            "TemporaryPasswordValidityDays": (pool.temporary_password_validity / 86_400.0) as u64,
        }},
        "MfaConfiguration": pool.mfa.configuration.name(),
        "SchemaAttributes": pool.schema.iter().map(|(name, a)| json!({
            "Name": name, "Required": a.required, "AttributeDataType": "String", "Mutable": a.mutable,
        })).collect::<Vec<_>>(),
        "AutoVerifiedAttributes": pool.auto_verified,
        "UserAttributeUpdateSettings": {
            "AttributesRequireVerificationBeforeUpdate": pool.verify_before_update,
        },
        "UsernameConfiguration": { "CaseSensitive": pool.case_sensitive },
        "Issuer": app.issuer(&pool.id),
    });
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.remove("PoolName");
        out.remove("Schema");
        out.extend(extra);
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateClient {
    user_pool_id: String,
    client_name: String,
    #[serde(default)]
    generate_secret: bool,
    #[serde(default)]
    explicit_auth_flows: Option<Vec<String>>,
    access_token_validity: Option<u64>,
    id_token_validity: Option<u64>,
    refresh_token_validity: Option<u64>,
    #[serde(default)]
    token_validity_units: Option<TokenValidityUnits>,
    #[serde(default)]
    prevent_user_existence_errors: Option<String>,
    #[serde(default)]
    refresh_token_rotation: Option<RefreshTokenRotation>,
    /// Minutes.
    #[serde(default)]
    auth_session_validity: Option<u64>,
    /// Config files only: fixed id and secret.
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct TokenValidityUnits {
    access_token: Option<String>,
    id_token: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RefreshTokenRotation {
    feature: Option<String>,
    retry_grace_period_seconds: Option<u64>,
}

/// `RefreshTokenRotation` checked as Cognito checks it: the grace period in seconds when the
/// feature is ENABLED, `None` when it is DISABLED.
fn rotation_grace(rotation: Option<RefreshTokenRotation>) -> ApiResult<Option<u64>> {
    let Some(rotation) = rotation else {
        return Ok(None);
    };
    let grace = rotation.retry_grace_period_seconds.unwrap_or(0);
    if grace > 60 {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{grace}' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60"
        )));
    }
    match rotation.feature.as_deref() {
        Some("ENABLED") => Ok(Some(grace)),
        Some("DISABLED") => Ok(None),
        Some(other) => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"
        ))),
        None => Err(ApiError::invalid_parameter(
            "1 validation error detected: Value null at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must not be null",
        )),
    }
}

const AUTH_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

fn seconds(value: u64, unit: Option<&str>, default_unit: &str) -> ApiResult<u64> {
    let per = match unit.unwrap_or(default_unit) {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        "days" => 86_400,
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid time unit {other}: use seconds, minutes, hours or days"
            )))
        }
    };
    Ok(value.saturating_mul(per))
}

pub fn create_user_pool_client(app: &App, raw: Value) -> ApiResult<Value> {
    let req: CreateClient = parse(raw.clone())?;
    let flows = req.explicit_auth_flows.unwrap_or_else(|| {
        [
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_CUSTOM_AUTH",
        ]
        .map(String::from)
        .to_vec()
    });
    for f in &flows {
        if !AUTH_FLOWS.contains(&f.as_str()) {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '[{f}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: {AUTH_FLOWS:?}"
            )));
        }
    }
    let units = req.token_validity_units.unwrap_or_default();
    let access = seconds(
        req.access_token_validity.unwrap_or(1),
        units.access_token.as_deref(),
        "hours",
    )?;
    let id = seconds(
        req.id_token_validity.unwrap_or(1),
        units.id_token.as_deref(),
        "hours",
    )?;
    let refresh = seconds(
        req.refresh_token_validity.unwrap_or(30),
        units.refresh_token.as_deref(),
        "days",
    )?;
    for (name, v) in [("AccessTokenValidity", access), ("IdTokenValidity", id)] {
        if !(300..=86_400).contains(&v) {
            return Err(ApiError::invalid_parameter(format!(
                "{name} must be between 5 minutes and 1 day"
            )));
        }
    }
    if !(3600..=315_360_000).contains(&refresh) {
        return Err(ApiError::invalid_parameter(
            "RefreshTokenValidity must be between 60 minutes and 10 years",
        ));
    }
    let rotation_grace = rotation_grace(req.refresh_token_rotation)?;
    let auth_session_minutes = req.auth_session_validity.unwrap_or(3);
    let bound = if auth_session_minutes < 3 {
        Some("greater than or equal to 3")
    } else if auth_session_minutes > 15 {
        Some("less than or equal to 15")
    } else {
        None
    };
    if let Some(bound) = bound {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{auth_session_minutes}' at 'authSessionValidity' failed to satisfy constraint: Member must have value {bound}"
        )));
    }
    let prevent = match req.prevent_user_existence_errors.as_deref() {
        None | Some("ENABLED") => true,
        Some("LEGACY") => false,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "PreventUserExistenceErrors must be ENABLED or LEGACY, not {other}"
            )))
        }
    };
    let now = app.now();
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    let client_id = match req.client_id {
        Some(id) => id,
        None => ids::client_id()?,
    };
    if pool.clients.contains_key(&client_id) {
        return Err(ApiError::invalid_parameter(format!(
            "Client {client_id} already exists"
        )));
    }
    let secret = match (req.generate_secret, req.client_secret) {
        (_, Some(s)) => Some(s),
        (true, None) => Some(ids::client_secret()?),
        (false, None) => None,
    };
    let client = Client {
        id: client_id.clone(),
        name: req.client_name,
        secret,
        explicit_auth_flows: flows,
        access_validity: access,
        id_validity: id,
        refresh_validity: refresh,
        rotation_grace,
        auth_session_validity: auth_session_minutes * 60,
        prevent_user_existence_errors: prevent,
        created: now,
        request: raw,
    };
    let described = describe_client(&pool.id, &client);
    pool.clients.insert(client_id, client);
    Ok(json!({ "UserPoolClient": described }))
}

fn describe_client(pool_id: &str, client: &Client) -> Value {
    let mut out = client.request.clone();
    let extra = json!({
        "UserPoolId": pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "ClientSecret": client.secret,
        "ExplicitAuthFlows": client.explicit_auth_flows,
        "AccessTokenValidity": client.access_validity,
        "IdTokenValidity": client.id_validity,
        "RefreshTokenValidity": client.refresh_validity,
        "TokenValidityUnits": { "AccessToken": "seconds", "IdToken": "seconds", "RefreshToken": "seconds" },
        "PreventUserExistenceErrors": if client.prevent_user_existence_errors { "ENABLED" } else { "LEGACY" },
        "RefreshTokenRotation": match client.rotation_grace {
            Some(grace) => json!({ "Feature": "ENABLED", "RetryGracePeriodSeconds": grace }),
            None => json!({ "Feature": "DISABLED", "RetryGracePeriodSeconds": 0 }),
        },
        "AuthSessionValidity": client.auth_session_validity / 60,
        "CreationDate": client.created,
        "LastModifiedDate": client.created,
    });
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.remove("GenerateSecret");
        out.extend(extra);
        if client.secret.is_none() {
            out.remove("ClientSecret");
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolRef {
    user_pool_id: String,
}

pub fn describe_user_pool(app: &App, req: PoolRef) -> ApiResult<Value> {
    let state = app.lock();
    let pool = state.pool(&req.user_pool_id)?;
    Ok(json!({ "UserPool": describe_pool(app, pool) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientRef {
    user_pool_id: String,
    client_id: String,
}

pub fn describe_user_pool_client(app: &App, req: ClientRef) -> ApiResult<Value> {
    let state = app.lock();
    let pool = state.pool(&req.user_pool_id)?;
    let client = pool
        .clients
        .get(&req.client_id)
        .ok_or_else(|| ApiError::client_not_found(&req.client_id))?;
    Ok(json!({ "UserPoolClient": describe_client(&pool.id, client) }))
}
