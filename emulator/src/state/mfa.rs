//! MFA's state: what a pool offers, what a user enabled and prefers, the user's
//! authenticator app.

/// A pool's MFA settings (SetUserPoolMfaConfig).
#[derive(Clone, Default)]
pub struct PoolMfa {
    /// `OFF`, `ON` or `OPTIONAL`.
    pub configuration: MfaConfiguration,
    /// `SoftwareTokenMfaConfiguration.Enabled`: authenticator apps (TOTP).
    pub software_token: bool,
    /// `SmsMfaConfiguration`, once given: codes by text message.
    pub sms: Option<SmsMfa>,
    /// `EmailMfaConfiguration`, once given: codes by email.
    pub email: Option<EmailMfa>,
}

impl PoolMfa {
    /// Whether the pool offers `factor`.
    pub fn offers(&self, factor: Factor) -> bool {
        match factor {
            Factor::Sms => self.sms.is_some(),
            Factor::SoftwareToken => self.software_token,
            Factor::Email => self.email.is_some(),
        }
    }
}

/// `SmsMfaConfiguration`: the text of the message (`{####}` is the code).
#[derive(Clone, Default)]
pub struct SmsMfa {
    pub message: Option<String>,
}

/// `EmailMfaConfiguration`: the email's body (`{####}` is the code) and subject.
#[derive(Clone, Default)]
pub struct EmailMfa {
    pub message: Option<String>,
    pub subject: Option<String>,
}

/// A second factor, in the order Cognito lists them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Factor {
    /// A code by text message to `phone_number`.
    Sms,
    /// A code of an authenticator app (TOTP).
    SoftwareToken,
    /// A code by email to `email`.
    Email,
}

impl Factor {
    pub const ALL: [Factor; 3] = [Factor::Sms, Factor::SoftwareToken, Factor::Email];

    /// Its name in challenges, MFAS_CAN_CHOOSE and UserMFASettingList.
    pub fn name(self) -> &'static str {
        match self {
            Factor::Sms => "SMS_MFA",
            Factor::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Factor::Email => "EMAIL_OTP",
        }
    }

    pub fn from_name(name: &str) -> Option<Factor> {
        Factor::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The attribute its codes are sent to; none for the authenticator app.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Factor::Sms => Some("phone_number"),
            Factor::SoftwareToken => None,
            Factor::Email => Some("email"),
        }
    }
}

#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub enum MfaConfiguration {
    #[default]
    Off,
    On,
    Optional,
}

impl MfaConfiguration {
    pub fn name(self) -> &'static str {
        match self {
            MfaConfiguration::Off => "OFF",
            MfaConfiguration::On => "ON",
            MfaConfiguration::Optional => "OPTIONAL",
        }
    }
}

/// A user's authenticator app (AssociateSoftwareToken, then VerifySoftwareToken).
pub struct SoftwareToken {
    /// The TOTP key (RFC 6238), given to the user base32-encoded as SecretCode.
    pub secret: Vec<u8>,
    /// Whether VerifySoftwareToken has seen a code of it.
    pub verified: bool,
    /// VerifySoftwareToken's FriendlyDeviceName.
    pub device_name: Option<String>,
    /// The TOTP step of the last code accepted: no code of it or before is taken again.
    pub last_step: Option<u64>,
}

/// A user's MFA choices (SetUserMFAPreference): the factors enabled, and the one preferred,
/// always one of them.
#[derive(Default)]
pub struct UserMfa {
    enabled: Vec<Factor>,
    preferred: Option<Factor>,
}

impl UserMfa {
    /// The factors enabled, in [`Factor::ALL`]'s order.
    pub fn enabled(&self) -> &[Factor] {
        &self.enabled
    }

    pub fn preferred(&self) -> Option<Factor> {
        self.preferred
    }

    /// Enables or disables `factor`; disabling the preferred one leaves none preferred.
    pub fn set(&mut self, factor: Factor, enabled: bool) {
        self.enabled.retain(|f| *f != factor);
        if enabled {
            self.enabled.push(factor);
            self.enabled.sort();
        } else if self.preferred == Some(factor) {
            self.preferred = None;
        }
    }

    /// Makes `factor` the preferred one (enabling it), or, when `preferred` is false, no
    /// longer preferred.
    pub fn prefer(&mut self, factor: Factor, preferred: bool) {
        if preferred {
            self.set(factor, true);
            self.preferred = Some(factor);
        } else if self.preferred == Some(factor) {
            self.preferred = None;
        }
    }
}
