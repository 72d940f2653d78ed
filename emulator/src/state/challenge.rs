//! A sign-in waiting on a challenge's answer.

use super::{Claimant, Expires, Factor};

/// A sign-in between a challenge and its answer: the password is proven, what is left is
/// `step`. Its `Session` string is used once: each answer that moves on makes a new one.
pub struct PendingChallenge {
    pub pool_id: String,
    pub client_id: String,
    pub user: Claimant,
    pub step: ChallengeStep,
    pub expires: f64,
    /// Wrong codes still allowed before the session is dropped.
    pub tries_left: u32,
}

impl PendingChallenge {
    /// Wrong codes a challenge session takes before it ends (the user signs in again).
    pub const TRIES: u32 = 3;
}

impl Expires for PendingChallenge {
    fn expires(&self) -> f64 {
        self.expires
    }
}

/// What a challenge waits for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ChallengeStep {
    /// NEW_PASSWORD_REQUIRED: a new password, and the required attributes still missing.
    NewPassword,
    /// SOFTWARE_TOKEN_MFA: a code of the user's authenticator app.
    SoftwareTokenMfa,
    /// MFA_SETUP: an authenticator app associated with the session (`secret`), then
    /// verified with a code of it (`verified`), before the answer.
    MfaSetup {
        secret: Option<Vec<u8>>,
        verified: bool,
    },
    /// SMS_MFA or EMAIL_OTP: the code sent to the user's phone or email.
    SentCode { factor: Factor, code: String },
    /// SELECT_MFA_TYPE: one of the user's factors, chosen.
    SelectMfaType { allowed: Vec<Factor> },
}

impl ChallengeStep {
    /// The ChallengeName Cognito gives the step.
    pub fn name(&self) -> &'static str {
        match self {
            ChallengeStep::NewPassword => "NEW_PASSWORD_REQUIRED",
            ChallengeStep::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            ChallengeStep::MfaSetup { .. } => "MFA_SETUP",
            ChallengeStep::SentCode { factor, .. } => factor.name(),
            ChallengeStep::SelectMfaType { .. } => "SELECT_MFA_TYPE",
        }
    }

    /// Whether `name` is one of [`ChallengeStep::name`]'s: a challenge answered by
    /// `challenge.rs`.
    pub fn is_name(name: &str) -> bool {
        matches!(
            name,
            "NEW_PASSWORD_REQUIRED" | "MFA_SETUP" | "SELECT_MFA_TYPE"
        ) || Factor::from_name(name).is_some()
    }
}
