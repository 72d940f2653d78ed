//! MFA's settings: the pool's (SetUserPoolMfaConfig, GetUserPoolMfaConfig: OFF, ON or
//! OPTIONAL, and which factors it offers: an authenticator app, codes by text message, codes
//! by email) and the user's (SetUserMFAPreference, AdminSetUserMFAPreference: the factors
//! enabled and the one preferred, which GetUser reports). The authenticator app's key is
//! `software_token.rs`'s, TOTP `totp.rs`'s; the sign-in's challenges are `challenge.rs`'s.

use serde::Deserialize;
use serde_json::{json, Value};

use super::session::verify_access_token;
use crate::error::{ApiError, ApiResult};
use crate::state::{App, EmailMfa, Factor, MfaConfiguration, PoolMfa, SmsMfa, User};
use crate::tokens::Keys;

/// What stands for the code in an MFA message.
const CODE_PLACEHOLDER: &str = "{####}";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfig {
    user_pool_id: String,
    #[serde(default)]
    mfa_configuration: Option<String>,
    #[serde(default)]
    software_token_mfa_configuration: Option<Enabled>,
    #[serde(default)]
    sms_mfa_configuration: Option<SmsMfaConfiguration>,
    #[serde(default)]
    email_mfa_configuration: Option<EmailMfaConfiguration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Enabled {
    #[serde(default)]
    enabled: bool,
}

/// `SmsConfiguration` (the SNS role that would send the texts) is taken and not used: the
/// emulator's texts go to its outbox.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SmsMfaConfiguration {
    #[serde(default)]
    sms_authentication_message: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    sms_configuration: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfaConfiguration {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    subject: Option<String>,
}

/// A message template's checks: its length, and the code's placeholder in it.
fn check_template(field: &str, text: &str, max: usize) -> ApiResult<()> {
    let length = text.chars().count();
    if length < 6 || length > max {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at '{field}' failed to satisfy constraint: Member must have length between 6 and {max}"
        )));
    }
    if !text.contains(CODE_PLACEHOLDER) {
        return Err(ApiError::invalid_parameter(format!(
            "{field} must contain {CODE_PLACEHOLDER}"
        )));
    }
    Ok(())
}

fn described(mfa: &PoolMfa) -> Value {
    let mut out = json!({
        "MfaConfiguration": mfa.configuration.name(),
        "SoftwareTokenMfaConfiguration": { "Enabled": mfa.software_token },
    });
    if let Some(sms) = &mfa.sms {
        out["SmsMfaConfiguration"] = json!({ "SmsAuthenticationMessage": sms.message });
    }
    if let Some(email) = &mfa.email {
        out["EmailMfaConfiguration"] =
            json!({ "Message": email.message, "Subject": email.subject });
    }
    out
}

pub fn set_user_pool_mfa_config(app: &App, req: SetUserPoolMfaConfig) -> ApiResult<Value> {
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    let mut mfa = pool.mfa.clone();
    if let Some(software) = req.software_token_mfa_configuration {
        mfa.software_token = software.enabled;
    }
    if let Some(sms) = req.sms_mfa_configuration {
        if let Some(text) = &sms.sms_authentication_message {
            check_template("smsMfaConfiguration.smsAuthenticationMessage", text, 140)?;
        }
        mfa.sms = Some(SmsMfa {
            message: sms.sms_authentication_message,
        });
    }
    if let Some(email) = req.email_mfa_configuration {
        if let Some(text) = &email.message {
            check_template("emailMfaConfiguration.message", text, 20_000)?;
        }
        mfa.email = Some(EmailMfa {
            message: email.message,
            subject: email.subject,
        });
    }
    if let Some(configuration) = req.mfa_configuration {
        mfa.configuration = match configuration.as_str() {
            "OFF" => MfaConfiguration::Off,
            "ON" => MfaConfiguration::On,
            "OPTIONAL" => MfaConfiguration::Optional,
            other => {
                return Err(ApiError::invalid_parameter(format!(
                    "1 validation error detected: Value '{other}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
                )))
            }
        };
    }
    let offers_one = Factor::ALL.into_iter().any(|f| mfa.offers(f));
    if mfa.configuration != MfaConfiguration::Off && !offers_one {
        return Err(ApiError::invalid_parameter(
            "At least one MFA method must be enabled to turn MFA on or make it optional",
        ));
    }
    pool.mfa = mfa;
    Ok(described(&pool.mfa))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserPoolMfaConfig {
    user_pool_id: String,
}

pub fn get_user_pool_mfa_config(app: &App, req: GetUserPoolMfaConfig) -> ApiResult<Value> {
    let state = app.lock();
    Ok(described(&state.pool(&req.user_pool_id)?.mfa))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreference {
    access_token: String,
    #[serde(flatten)]
    settings: MfaSettings,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserMfaPreference {
    user_pool_id: String,
    username: String,
    #[serde(flatten)]
    settings: MfaSettings,
}

/// The factors' settings SetUserMFAPreference and AdminSetUserMFAPreference take.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    #[serde(default)]
    software_token_mfa_settings: Option<Preference>,
    #[serde(default, rename = "SMSMfaSettings")]
    sms_mfa_settings: Option<Preference>,
    #[serde(default)]
    email_mfa_settings: Option<Preference>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Preference {
    #[serde(default)]
    enabled: bool,
    /// Absent leaves the preference as it is (what Amplify's `ENABLED` sends, where
    /// `NOT_PREFERRED` sends false).
    #[serde(default)]
    preferred_mfa: Option<bool>,
}

impl MfaSettings {
    /// Applies the settings to `user`, all or none: an app enabled only once verified, a
    /// code factor only with somewhere to send its codes, at most one preferred, preferred
    /// only while enabled, a preference left out left as it is.
    fn apply(self, user: &mut User) -> ApiResult<()> {
        let settings = [
            (Factor::Sms, self.sms_mfa_settings),
            (Factor::SoftwareToken, self.software_token_mfa_settings),
            (Factor::Email, self.email_mfa_settings),
        ];
        let settings: Vec<(Factor, Preference)> = settings
            .into_iter()
            .filter_map(|(f, p)| Some((f, p?)))
            .collect();
        for (factor, p) in &settings {
            if !p.enabled {
                continue;
            }
            let ready = match factor.attribute() {
                Some(attribute) => user.attributes.contains_key(attribute),
                None => user.software_token.as_ref().is_some_and(|t| t.verified),
            };
            if !ready && *factor == Factor::SoftwareToken {
                return Err(ApiError::invalid_parameter(
                    "User has not verified software token mfa",
                ));
            }
            if !ready {
                return Err(ApiError::invalid_parameter(format!(
                    "User does not have delivery config set to turn on {}",
                    factor.name()
                )));
            }
        }
        if settings
            .iter()
            .filter(|(_, p)| p.enabled && p.preferred_mfa == Some(true))
            .count()
            > 1
        {
            return Err(ApiError::invalid_parameter(
                "Only one MFA method can be preferred",
            ));
        }
        for (factor, p) in settings {
            user.mfa.set(factor, p.enabled);
            if let Some(preferred) = p.preferred_mfa {
                user.mfa.prefer(factor, p.enabled && preferred);
            }
        }
        Ok(())
    }
}

pub fn set_user_mfa_preference(
    app: &App,
    keys: &Keys,
    req: SetUserMfaPreference,
) -> ApiResult<Value> {
    let token = verify_access_token(keys, &req.access_token)?;
    let mut state = app.lock();
    let owner = token.owner(app, &state)?;
    let pool = state.pool_mut(&owner.pool_id)?;
    let user = pool
        .user_mut(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    req.settings.apply(user)?;
    Ok(json!({}))
}

pub fn admin_set_user_mfa_preference(
    app: &App,
    req: AdminSetUserMfaPreference,
) -> ApiResult<Value> {
    let mut state = app.lock();
    let user = state
        .pool_mut(&req.user_pool_id)?
        .user_mut(&req.username)
        .ok_or_else(ApiError::user_not_found)?;
    req.settings.apply(user)?;
    Ok(json!({}))
}

/// GetUser's MFA members: `UserMFASettingList` and `PreferredMfaSetting`, when set.
pub fn user_mfa_json(user: &User, out: &mut serde_json::Map<String, Value>) {
    let enabled: Vec<&str> = user.mfa.enabled().iter().map(|f| f.name()).collect();
    if !enabled.is_empty() {
        out.insert("UserMFASettingList".into(), json!(enabled));
    }
    if let Some(preferred) = user.mfa.preferred() {
        out.insert("PreferredMfaSetting".into(), json!(preferred.name()));
    }
}
