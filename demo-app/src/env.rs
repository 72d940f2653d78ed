//! What every step is given: the settings, who answers at the endpoint, the password rules,
//! and the session client. Apart from the app, so that the steps do not import the app that
//! renders them.

use std::rc::Rc;

use yew::AttrValue;

use crate::errors::Failure;
use crate::policy::PasswordPolicy;
use crate::session::Sessions;
use crate::settings::Settings;

/// Who answers at the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `/health` asked, no answer yet.
    Checking,
    /// The local emulator: mailbox, the pool's own policy, issuer `{endpoint}/{pool}`.
    Emulator,
    /// Anything else is treated as Amazon Cognito.
    Cognito,
}

/// What every step needs to know about where it talks to.
#[derive(Clone)]
pub struct Env {
    pub settings: Rc<Settings>,
    pub backend: Backend,
    pub policy: PasswordPolicy,
    /// Where the password rules come from, in words.
    pub policy_note: AttrValue,
    /// Built once per settings (so its verifier fetches the JWKS once): the session, kept
    /// where the settings say.
    pub sessions: Rc<Result<Sessions, Failure>>,
}

impl PartialEq for Env {
    fn eq(&self, other: &Env) -> bool {
        self.settings == other.settings
            && self.backend == other.backend
            && self.policy == other.policy
            && self.policy_note == other.policy_note
            && Rc::ptr_eq(&self.sessions, &other.sessions)
    }
}
