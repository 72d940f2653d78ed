//! MFA with an authenticator app: the pool's MFA settings (SetUserPoolMfaConfig,
//! GetUserPoolMfaConfig), a user's software token (AssociateSoftwareToken, then
//! VerifySoftwareToken with a code of it, with an access token or MFA_SETUP's session), and
//! the user's choice (SetUserMFAPreference, AdminSetUserMFAPreference, which GetUser
//! reports). TOTP is RFC 6238's: HMAC-SHA1, 6 digits, 30-second steps, a code of the step
//! before or after accepted too. The sign-in's challenges are `challenge.rs`'s; SMS and email
//! factors come next (issue 15).

use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Value};
use sha1::Sha1;

use super::session::verify_access_token;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{App, MfaConfiguration, Pool, PoolMfa, SoftwareToken, User};
use crate::tokens::Keys;

/// A TOTP step, in seconds.
const STEP: u64 = 30;
/// Steps either side of now whose code is accepted (clock skew, a code typed late).
const WINDOW: u64 = 1;
/// Bytes of a new TOTP key: 160 bits, as RFC 4226 recommends (32 base32 characters).
pub(super) const SECRET_BYTES: usize = 20;

/// RFC 4226's HOTP of `counter`, 6 digits.
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    // HMAC takes a key of any length. // invariant
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let at = usize::from(digest[19] & 0x0f);
    let word = u32::from_be_bytes([digest[at], digest[at + 1], digest[at + 2], digest[at + 3]]);
    (word & 0x7fff_ffff) % 1_000_000
}

/// Whether `code` is the TOTP of `secret` at `now`, or of a step within [`WINDOW`].
pub(super) fn totp_matches(secret: &[u8], now: f64, code: &str) -> bool {
    let Ok(code) = code.parse::<u32>() else {
        return false;
    };
    let step = (now.max(0.0) as u64) / STEP;
    (step.saturating_sub(WINDOW)..=step + WINDOW).any(|s| hotp(secret, s) == code)
}

/// RFC 4648 base32, unpadded: how authenticator apps take a key.
pub(super) fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfig {
    user_pool_id: String,
    #[serde(default)]
    mfa_configuration: Option<String>,
    #[serde(default)]
    software_token_mfa_configuration: Option<Enabled>,
    #[serde(default)]
    sms_mfa_configuration: Option<Value>,
    #[serde(default)]
    email_mfa_configuration: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Enabled {
    #[serde(default)]
    enabled: bool,
}

fn described(mfa: &PoolMfa) -> Value {
    json!({
        "MfaConfiguration": mfa.configuration.name(),
        "SoftwareTokenMfaConfiguration": { "Enabled": mfa.software_token },
    })
}

pub fn set_user_pool_mfa_config(app: &App, req: SetUserPoolMfaConfig) -> ApiResult<Value> {
    if req.sms_mfa_configuration.is_some() || req.email_mfa_configuration.is_some() {
        return Err(ApiError::invalid_parameter(
            "The emulator does not implement SMS or email MFA yet",
        ));
    }
    let mut state = app.lock();
    let pool = state.pool_mut(&req.user_pool_id)?;
    let mut mfa = pool.mfa.clone();
    if let Some(software) = req.software_token_mfa_configuration {
        mfa.software_token = software.enabled;
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
    if mfa.configuration != MfaConfiguration::Off && !mfa.software_token {
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
pub struct AssociateSoftwareToken {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

pub(super) fn software_token_enabled(pool: &Pool) -> ApiResult<()> {
    if pool.mfa.software_token {
        return Ok(());
    }
    Err(ApiError::new(
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA is not enabled for the user pool",
    ))
}

pub fn associate_software_token(
    app: &App,
    keys: &Keys,
    req: AssociateSoftwareToken,
) -> ApiResult<Value> {
    let access_token = match (req.access_token, req.session) {
        (Some(token), None) => token,
        (None, Some(session)) => return super::challenge::associate(app, &session),
        _ => return Err(token_or_session()),
    };
    let token = verify_access_token(keys, &access_token)?;
    let secret = ids::random_bytes::<SECRET_BYTES>()?.to_vec();
    let code = base32(&secret);
    let mut state = app.lock();
    let owner = token.owner(app, &state)?;
    let pool = state.pool_mut(&owner.pool_id)?;
    software_token_enabled(pool)?;
    let user = pool
        .user_mut(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    user.software_token = Some(SoftwareToken {
        secret,
        verified: false,
        device_name: None,
    });
    // A new key voids the old one: the factor is off until the new one is verified.
    user.mfa.software_token = false;
    user.mfa.preferred_software_token = false;
    Ok(json!({ "SecretCode": code }))
}

/// Associate and Verify take an AccessToken (a signed-in user) or a Session (MFA_SETUP's),
/// exactly one.
fn token_or_session() -> ApiError {
    ApiError::invalid_parameter("Exactly one of AccessToken and Session is required")
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareToken {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    session: Option<String>,
    user_code: String,
    #[serde(default)]
    friendly_device_name: Option<String>,
}

pub fn verify_software_token(app: &App, keys: &Keys, req: VerifySoftwareToken) -> ApiResult<Value> {
    if req.user_code.len() != 6 || !req.user_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+ and have length 6",
        ));
    }
    let access_token = match (req.access_token, req.session) {
        (Some(token), None) => token,
        (None, Some(session)) => {
            let device = req.friendly_device_name;
            return super::challenge::verify(app, &session, &req.user_code, device);
        }
        _ => return Err(token_or_session()),
    };
    let token = verify_access_token(keys, &access_token)?;
    let now = app.now();
    let mut state = app.lock();
    let owner = token.owner(app, &state)?;
    let pool = state.pool_mut(&owner.pool_id)?;
    software_token_enabled(pool)?;
    let user = pool
        .user_mut(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    let Some(software) = user.software_token.as_mut() else {
        return Err(ApiError::invalid_parameter(
            "User has not associated a software token: call AssociateSoftwareToken first",
        ));
    };
    if !totp_matches(&software.secret, now, &req.user_code) {
        return Err(ApiError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch",
        ));
    }
    software.verified = true;
    software.device_name = req.friendly_device_name;
    Ok(json!({ "Status": "SUCCESS" }))
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
    sms_mfa_settings: Option<Value>,
    #[serde(default)]
    email_mfa_settings: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Preference {
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    preferred_mfa: bool,
}

impl MfaSettings {
    fn refuse_unimplemented(&self) -> ApiResult<()> {
        if self.sms_mfa_settings.is_some() || self.email_mfa_settings.is_some() {
            return Err(ApiError::invalid_parameter(
                "The emulator does not implement SMS or email MFA yet",
            ));
        }
        Ok(())
    }

    /// Applies the settings to `user`: a factor enabled only once verified, preferred only
    /// while enabled.
    fn apply(self, user: &mut User) -> ApiResult<()> {
        if let Some(p) = self.software_token_mfa_settings {
            let verified = user.software_token.as_ref().is_some_and(|t| t.verified);
            if p.enabled && !verified {
                return Err(ApiError::invalid_parameter(
                    "User has not verified software token mfa",
                ));
            }
            user.mfa.software_token = p.enabled;
            user.mfa.preferred_software_token = p.enabled && p.preferred_mfa;
        }
        Ok(())
    }
}

pub fn set_user_mfa_preference(
    app: &App,
    keys: &Keys,
    req: SetUserMfaPreference,
) -> ApiResult<Value> {
    req.settings.refuse_unimplemented()?;
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
    req.settings.refuse_unimplemented()?;
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
    if user.mfa.software_token {
        out.insert("UserMFASettingList".into(), json!(["SOFTWARE_TOKEN_MFA"]));
    }
    if user.mfa.preferred_software_token {
        out.insert("PreferredMfaSetting".into(), json!("SOFTWARE_TOKEN_MFA"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's Appendix B vectors for SHA-1 (its 8 digits, cut to 6), and RFC 4648's
    /// base32 vectors.
    #[test]
    fn totp_and_base32_are_the_rfcs() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, 94_287_082u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(hotp(secret, time / STEP), code % 1_000_000, "{time}");
            let six = format!("{:06}", code % 1_000_000);
            assert!(totp_matches(secret, time as f64, &six));
            assert!(
                totp_matches(secret, (time + STEP) as f64, &six),
                "a step late"
            );
            assert!(!totp_matches(secret, (time + 3 * STEP) as f64, &six));
        }
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(bytes), text);
        }
        assert_eq!(base32(&[0u8; SECRET_BYTES]).len(), 32);
    }
}
